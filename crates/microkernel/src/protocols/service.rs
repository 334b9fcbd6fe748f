//! `service`: what every registered service answers on its connector channel.

crate::protocol! {
    /// Sent by svcmgr to a service over the connector channel the service registered: one
    /// message per client connection. The service serves its own protocol on the channel it
    /// receives.
    protocol "service";

    /// A client's new channel to the service.
    method Connect(version 1, one_way) {
        request ConnectRequest {
            /// The name the client looked up (a service may register several).
            name: String,
        } handles [Channel];
        response ConnectResponse {} handles [];
    }
}
