//! `svcmgrctl`: between svcmgr as a process of its own and the runtime that supervises it.

crate::protocol! {
    /// svcmgr run as a separate process (`hyper-compat __svcmgr`) keeps a journal with its
    /// supervisor on one control channel (fd 3): every client channel and service connector
    /// it holds (a copy of its end of each), and every call from the moment it reads it until
    /// it answers. Should svcmgr die, the supervisor fails the calls left open with `EIO`
    /// (their clients would wait forever otherwise), starts another svcmgr and hands it every
    /// client and connector again: clients keep their channels, services their names, and
    /// later calls work. Every method is one-way.
    protocol "svcmgrctl";

    /// Supervisor → svcmgr: serve this client channel (its end) under id `client`.
    method Adopt(version 1, one_way) {
        request AdoptRequest {
            client: u64,
        } handles [Channel];
        response AdoptResponse {} handles [];
    }

    /// Supervisor → svcmgr: the service `name` registered with this connector before; kept
    /// only if the service still holds its end.
    method Restore(version 1, one_way) {
        request RestoreRequest {
            name: String,
        } handles [Channel];
        response RestoreResponse {} handles [];
    }

    /// svcmgr → supervisor: a new client channel (a copy of svcmgr's end), made by `Clone`.
    method Client(version 1, one_way) {
        request ClientRequest {
            client: u64,
        } handles [Channel];
        response ClientResponse {} handles [];
    }

    /// svcmgr → supervisor: service `name` registered (a copy of svcmgr's end of its
    /// connector).
    method Service(version 1, one_way) {
        request ServiceRequest {
            name: String,
        } handles [Channel];
        response ServiceResponse {} handles [];
    }

    /// svcmgr → supervisor: it read call `txid` (method `ordinal`) from client `client`.
    method Call(version 1, one_way) {
        request CallRequest {
            client: u64,
            txid: u32,
            ordinal: u64,
        } handles [];
        response CallResponse {} handles [];
    }

    /// svcmgr → supervisor: it answered call `txid` of client `client`.
    method Done(version 1, one_way) {
        request DoneRequest {
            client: u64,
            txid: u32,
        } handles [];
        response DoneResponse {} handles [];
    }
}
