//! `logd`: the log sink for `liblog` writes and telemetry events (bodies only; the server is
//! later work).

crate::protocol! {
    /// The log sink. Both methods are one-way: a log write must never wait for the logger.
    protocol "logd";

    /// An Android log record, as `__android_log_write` takes it.
    method Log(version 1, one_way) {
        request LogRequest {
            /// The log buffer: 0 main, 1 radio, 2 events, 3 system, 4 crash.
            buffer: u8,
            /// Android priority: 2 verbose, 3 debug, 4 info, 5 warn, 6 error, 7 fatal.
            priority: u8,
            tag: String,
            message: String,
            /// The writer's guest pid.
            pid: u32,
            /// The writer's guest tid.
            tid: u32,
            /// Wall-clock time of the write, nanoseconds since the Unix epoch.
            time_ns: u64,
        } handles [];
        response LogResponse {} handles [];
    }

    /// A telemetry event: a translated call, a Binder transaction, a denial, a stub hit.
    method Telemetry(version 1, one_way) {
        request TelemetryRequest {
            /// What happened: `translate`, `deny`, `stub`, `binder`, …
            kind: String,
            /// The syscall, ioctl or Binder method (`openat`, `BINDER_WRITE_READ`, …).
            name: String,
            /// The guest pid it happened in.
            pid: u32,
            /// The guest tid it happened in.
            tid: u32,
            /// The result: 0 or a negative errno.
            result: i64,
            /// How long the translation took, nanoseconds.
            latency_ns: u64,
            /// Further detail as key/value pairs (the argument that made it a stub, …).
            attributes: Vec<(String, String)>,
        } handles [];
        response TelemetryResponse {} handles [];
    }
}
