/// Publishes into an ``InMemoryBroker``. A publish is "confirmed" once the broker has routed
/// and stored every message; unroutable mandatory messages fail the call, as on RabbitMQ.
public final class InMemoryPublisher: MessagePublisher {
    private let broker: InMemoryBroker
    private let state = ClosedFlag()

    init(broker: InMemoryBroker) { self.broker = broker }

    /// True until closed (there is no connection to lose).
    public var isConnected: Bool { !state.isClosed }

    /// See ``MessagePublisher/publish(_:)``.
    public func publish(_ messages: [OutgoingMessage]) async throws {
        guard !state.isClosed else { throw TransportError.closed }
        guard !messages.isEmpty else { return }
        let failures = try broker.publish(messages)
        if !failures.isEmpty { throw TransportError.publishFailed(failures) }
    }

    /// Closes: what this client held goes back to its queues.
    public func close() async { state.close() }
}
