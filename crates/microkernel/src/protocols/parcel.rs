//! `parcel`: Binder transactions carried to and from native services by the service manager.

crate::protocol! {
    /// A native service that Binder clients may call implements this on the channels svcmgr
    /// hands it: the Binder service manager (`hyper-compat binder-world --service-manager`)
    /// returns such a service to `getService` as a binder it serves, and turns each
    /// transaction on that binder into a `Transact`. The other way, the service manager
    /// registers every Binder service added to it with svcmgr under the same name (unless a
    /// native service has it) and serves `Transact` on it by calling the Binder service.
    /// Parcels are Android's wire format, without objects (binders and descriptors do not
    /// cross), at most 60 KiB each way.
    protocol "parcel";

    /// One transaction: its code and parcel; the reply parcel. A failure's errno is the
    /// Binder status (`EBADMSG`: unknown transaction).
    method Transact(version 1, call) {
        request TransactRequest {
            /// The transaction code (`FIRST_CALL_TRANSACTION` = 1 for an AIDL interface's
            /// first method).
            code: u32,
            /// The parcel, interface token first.
            data: Vec<u8>,
            /// The caller does not wait for the reply (`FLAG_ONEWAY`).
            one_way: bool,
        } handles [];
        response TransactResponse {
            /// The reply parcel (for AIDL, the status first).
            data: Vec<u8>,
        } handles [];
    }
}
