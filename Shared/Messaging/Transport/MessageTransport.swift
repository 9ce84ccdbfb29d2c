import Logging

/// Makes publishers and consumers for one broker, each declaring `topology` (idempotently)
/// before it is used. A service host is built over one transport: AMQP in production and
/// integration tests (``AMQPTransport``), an ``InMemoryBroker`` in unit tests.
public protocol MessageTransport: Sendable {
    /// A confirming publisher named `name` (shown to the broker as the connection name).
    func makePublisher(name: String, topology: Topology, logger: Logger) -> any MessagePublisher

    /// A consumer named `name` with at most `prefetch` unsettled deliveries.
    func makeConsumer(name: String, topology: Topology, prefetch: Int, logger: Logger) -> any MessageConsumer
}
