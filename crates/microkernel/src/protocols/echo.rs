//! `echo`: the example service of `src/bin/echo_service.rs`, and the integration test's.

crate::protocol! {
    /// The example native service: echoes text, and reads back memory and files its clients
    /// hand it, to show handles crossing processes.
    protocol "echo";

    /// Returns the text sent.
    method Echo(version 1, call) {
        request EchoRequest {
            text: String,
        } handles [];
        response EchoResponse {
            text: String,
        } handles [];
    }

    /// Reads the whole of a sealed VMO the client sends. Fails with `EPERM` if it is not
    /// sealed read-only.
    method ReadVmo(version 1, call) {
        request ReadVmoRequest {} handles [Vmo];
        response ReadVmoResponse {
            /// The VMO's size.
            size: u64,
            /// Its first bytes (at most 60 KiB).
            bytes: Vec<u8>,
        } handles [];
    }

    /// Reads an opened file the client sends, from its current offset to the end.
    method ReadFile(version 1, call) {
        request ReadFileRequest {} handles [File];
        response ReadFileResponse {
            /// The file's remaining content (at most 60 KiB).
            bytes: Vec<u8>,
        } handles [];
    }
}
