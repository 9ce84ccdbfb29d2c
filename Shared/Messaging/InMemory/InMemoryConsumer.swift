import Foundation

/// Consumes from an ``InMemoryBroker``; see ``MessageConsumer`` for the contract.
public final class InMemoryConsumer: MessageConsumer {
    private let broker: InMemoryBroker
    private let id: Int
    private let state = ClosedFlag()
    /// See ``MessageConsumer/deliveries``.
    public let deliveries: AsyncStream<[Delivery]>

    init(broker: InMemoryBroker, prefetch: Int) {
        self.broker = broker
        let (stream, continuation) = AsyncStream<[Delivery]>.makeStream()
        deliveries = stream
        id = broker.register(prefetch: prefetch, continuation: continuation)
    }

    /// True until closed (there is no connection to lose).
    public var isConnected: Bool { !state.isClosed }

    /// See ``MessageConsumer/consume(queues:)``; an undeclared queue is refused (404), as on RabbitMQ.
    public func consume(queues: [String]) async throws {
        try broker.subscribe(id, to: queues)
    }

    /// See ``MessageConsumer/ack(_:)``.
    public func ack(_ deliveries: [Delivery]) {
        broker.settle(id, tags: deliveries.map(\.deliveryTag), kind: .ack)
    }

    /// See ``MessageConsumer/nack(_:requeue:)``.
    public func nack(_ deliveries: [Delivery], requeue: Bool) {
        broker.settle(id, tags: deliveries.map(\.deliveryTag), kind: requeue ? .requeue : .reject)
    }

    /// See ``MessageConsumer/settle(acks:requeues:)``; in memory it never waits.
    public func settle(acks: [Delivery], requeues: [Delivery]) async throws {
        ack(acks)
        nack(requeues, requeue: true)
    }

    /// See ``MessageConsumer/stopConsuming()``.
    public func stopConsuming() async { broker.unsubscribe(id) }

    /// Closes: what this client held goes back to its queues.
    public func close() async {
        state.close()
        broker.closeConsumer(id)
    }
}

/// Whether an in-memory client was closed.
final class ClosedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var closed = false

    var isClosed: Bool { lock.withLock { closed } }
    func close() { lock.withLock { closed = true } }
}
