import Foundation

/// Consumes from an ``InMemoryBroker``; see ``MessageConsumer`` for the contract.
public final class InMemoryConsumer: MessageConsumer {
    private let broker: InMemoryBroker
    private let id: Int
    private let state = ClosedFlag()
    public let deliveries: AsyncStream<[Delivery]>

    init(broker: InMemoryBroker, prefetch: Int) {
        self.broker = broker
        let (stream, continuation) = AsyncStream<[Delivery]>.makeStream()
        deliveries = stream
        id = broker.register(prefetch: prefetch, continuation: continuation)
    }

    public var isConnected: Bool { !state.isClosed }

    public func consume(queues: [String]) async throws {
        try broker.subscribe(id, to: queues)
    }

    public func ack(_ deliveries: [Delivery]) {
        broker.settle(id, tags: deliveries.map(\.deliveryTag), kind: .ack)
    }

    public func nack(_ deliveries: [Delivery], requeue: Bool) {
        broker.settle(id, tags: deliveries.map(\.deliveryTag), kind: requeue ? .requeue : .reject)
    }

    public func settle(acks: [Delivery], requeues: [Delivery]) async throws {
        ack(acks)
        nack(requeues, requeue: true)
    }

    public func stopConsuming() async { broker.unsubscribe(id) }

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
