//! `svcmgr`: the service registry (served by [`crate::svcmgr::serve`]).

crate::protocol! {
    /// The service registry, and later the Binder context manager. A native program gets a
    /// channel to it at startup (fd 3, `startup::SVCMGR_FD`). A service registers a
    /// *connector* channel under a name; each `Lookup` makes a fresh channel pair, hands one
    /// end to the service over its connector (`service.Connect`) and returns the other, so
    /// every client has a private channel to the service. When the service's end of the
    /// connector closes, the name is unregistered.
    protocol "svcmgr";

    /// Registers a service under `name` with the connector channel it serves.
    /// Fails with `EEXIST` if the name is taken, `EINVAL` if it is empty, longer than 255
    /// bytes or contains a NUL. A `/` is allowed: Android's service names carry one
    /// (`android.hardware.foo.IFoo/default`), and Binder services are published here.
    method Register(version 1, call) {
        request RegisterRequest {
            /// The service's name (`echo`, `android.os.IServiceManager`, …).
            name: String,
        } handles [Channel];
        response RegisterResponse {} handles [];
    }

    /// A new channel to the service `name`. Fails with `ENOENT` if no live service has the
    /// name, `EAGAIN` if its connector's queue is full.
    method Lookup(version 1, call) {
        request LookupRequest {
            /// The service's name.
            name: String,
        } handles [];
        response LookupResponse {} handles [Channel];
    }

    /// As `Lookup`, but when no live service has the name yet, the reply waits until one
    /// registers it (Android's `waitForService`).
    method WaitFor(version 1, call) {
        request WaitForRequest {
            /// The service's name.
            name: String,
        } handles [];
        response WaitForResponse {} handles [Channel];
    }

    /// The names of the registered services, sorted.
    method List(version 1, call) {
        request ListRequest {} handles [];
        response ListResponse {
            /// Sorted, one per service.
            names: Vec<String>,
        } handles [];
    }

    /// Another channel to svcmgr, to hand to a new process or thread.
    method Clone(version 1, call) {
        request CloneRequest {} handles [];
        response CloneResponse {} handles [Channel];
    }
}
