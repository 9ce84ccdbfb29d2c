/// Publishes messages and waits until the broker has taken responsibility for them.
///
/// The seam between Sluice's runtime and a broker: ``AMQPPublisher`` (rabbitmq-c, with
/// publisher confirms) in production, ``InMemoryPublisher`` in unit tests. Both pass the
/// same conformance suite (`Tests/Conformance`), so a rule tested against one holds on the
/// other.
public protocol MessagePublisher: Sendable {
    /// Publishes `messages` in order and returns once every one is confirmed. Throws
    /// ``TransportError/publishFailed(_:)`` naming the messages that were nacked or
    /// unroutable (the others were confirmed), ``TransportError/timedOut(_:)`` when the
    /// broker did not answer in time, ``TransportError/connectionLost(_:)`` or
    /// ``TransportError/closed``. Any error but `publishFailed` leaves the outcome of every
    /// message unknown: publish again (ids are deterministic, consumers drop duplicates).
    func publish(_ messages: [OutgoingMessage]) async throws

    /// Whether the publisher is connected to its broker right now.
    var isConnected: Bool { get }

    /// Closes the publisher; later publishes fail with ``TransportError/closed``.
    func close() async
}

extension MessagePublisher {
    /// Publishes one message and waits for its confirm.
    public func publish(_ message: OutgoingMessage) async throws {
        try await publish([message])
    }
}
