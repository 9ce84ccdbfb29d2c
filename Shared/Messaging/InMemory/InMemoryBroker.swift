import Dispatch
import Foundation
import Logging

/// A broker in this process, with the AMQP semantics Sluice relies on: topic, direct and
/// fanout exchanges and the default exchange; durable-queue FIFO order; mandatory publishes
/// (unroutable is an error); competing consumers (round robin) with a prefetch bound per
/// consumer and queue; ack, nack and requeue with the redelivered flag; dead-lettering
/// through `x-dead-letter-exchange` / `x-dead-letter-routing-key` with `x-death` headers;
/// per-message `expiration` and `x-message-ttl` (how delayed retries wait).
///
/// For unit tests of logic only: nothing survives the process. It passes the same
/// conformance suite as ``AMQPTransport`` on a real RabbitMQ. Not modelled: queue length
/// limits and overflow, `x-expires`, quorum delivery limits, alternate exchanges.
public final class InMemoryBroker: MessageTransport, @unchecked Sendable {
    struct Message {
        var exchange: String
        var routingKey: String
        var properties: MessageProperties
        var body: [UInt8]
        var redelivered = false
        var expiresAt: DispatchTime?
    }

    struct QueueState {
        var arguments: [String: HeaderValue]
        var messages: [Message] = []
        /// Consumers subscribed, in round-robin order.
        var consumers: [Int] = []
        var nextConsumer = 0
    }

    struct Unsettled {
        var queue: String
        var message: Message
    }

    final class ConsumerState {
        let id: Int
        let prefetch: Int
        let continuation: AsyncStream<[Delivery]>.Continuation
        var queues: [String] = []
        var unsettled: [UInt64: Unsettled] = [:]
        var nextTag: UInt64 = 1
        var open = true

        init(id: Int, prefetch: Int, continuation: AsyncStream<[Delivery]>.Continuation) {
            self.id = id
            self.prefetch = max(1, prefetch)
            self.continuation = continuation
        }

        func unsettledCount(on queue: String) -> Int { unsettled.values.reduce(0) { $0 + ($1.queue == queue ? 1 : 0) } }
    }

    let lock = NSLock()
    var exchanges: [String: String] = [:]
    var queues: [String: QueueState] = [:]
    var bindings: [Topology.Binding] = []
    var consumers: [Int: ConsumerState] = [:]
    private var nextConsumerId = 1

    /// An empty broker.
    public init() {}

    /// Declares `topology` (idempotently, like the AMQP transport on connect).
    public func declare(_ topology: Topology) {
        lock.withLock {
            for exchange in topology.exchanges { exchanges[exchange.name] = exchange.type }
            for queue in topology.queues where queues[queue.name] == nil {
                queues[queue.name] = QueueState(arguments: queue.arguments)
            }
            for binding in topology.bindings where !bindings.contains(binding) { bindings.append(binding) }
        }
    }

    /// How many messages wait in `queue` (not counting unsettled deliveries).
    public func depth(of queue: String) -> Int {
        lock.withLock { queues[queue]?.messages.count ?? 0 }
    }

    /// How many deliveries from `queue` are held by consumers and not yet settled.
    public func unsettled(in queue: String) -> Int {
        lock.withLock { consumers.values.reduce(0) { $0 + $1.unsettledCount(on: queue) } }
    }

    /// A publisher on this transport (see ``MessageTransport``).
    public func makePublisher(name: String, topology: Topology, logger: Logger) -> any MessagePublisher {
        declare(topology)
        return InMemoryPublisher(broker: self)
    }

    /// A consumer on this transport (see ``MessageTransport``).
    public func makeConsumer(name: String, topology: Topology, prefetch: Int, logger: Logger) -> any MessageConsumer {
        declare(topology)
        return InMemoryConsumer(broker: self, prefetch: prefetch)
    }

    // MARK: - Consumers (called by InMemoryConsumer)

    func register(prefetch: Int, continuation: AsyncStream<[Delivery]>.Continuation) -> Int {
        lock.withLock {
            let id = nextConsumerId
            nextConsumerId += 1
            consumers[id] = ConsumerState(id: id, prefetch: prefetch, continuation: continuation)
            return id
        }
    }

    func subscribe(_ consumer: Int, to names: [String]) throws {
        try lock.withLock {
            guard let state = consumers[consumer], state.open else { throw TransportError.closed }
            for name in names where !state.queues.contains(name) {
                guard queues[name] != nil else {
                    throw TransportError.brokerRefused(code: 404, text: "NOT_FOUND - no queue '\(name)'")
                }
                state.queues.append(name)
                queues[name]!.consumers.append(consumer)
            }
            for name in names { dispatchLocked(name) }
        }
    }

    /// Stops new deliveries to `consumer`; its unsettled ones stay unsettled.
    func unsubscribe(_ consumer: Int) {
        lock.withLock {
            guard let state = consumers[consumer] else { return }
            for name in state.queues { queues[name]?.consumers.removeAll { $0 == consumer } }
            state.queues.removeAll()
            state.continuation.finish()
        }
    }

    /// Closes `consumer`: everything it had not settled goes back to its queue, redelivered.
    func closeConsumer(_ consumer: Int) {
        lock.withLock {
            guard let state = consumers.removeValue(forKey: consumer) else { return }
            state.open = false
            for name in state.queues { queues[name]?.consumers.removeAll { $0 == consumer } }
            state.continuation.finish()
            let returned = state.unsettled.sorted { $0.key < $1.key }.map(\.value)
            for entry in returned.reversed() { requeueLocked(entry) }
            for name in Set(returned.map(\.queue)) { dispatchLocked(name) }
        }
    }

    func settle(_ consumer: Int, tags: [UInt64], kind: Settlement) {
        lock.withLock {
            guard let state = consumers[consumer] else { return }  // closed: already requeued
            var touched = Set<String>()
            // Requeues go back to the head in their original order, as RabbitMQ does.
            var requeues: [Unsettled] = []
            for tag in tags {
                guard let entry = state.unsettled.removeValue(forKey: tag) else { continue }
                touched.insert(entry.queue)
                switch kind {
                case .ack: break
                case .requeue: requeues.append(entry)
                case .reject: deadLetterLocked(entry.message, from: entry.queue, reason: "rejected")
                }
            }
            for entry in requeues.reversed() { requeueLocked(entry) }
            for name in touched { dispatchLocked(name) }
        }
    }

    enum Settlement { case ack, requeue, reject }

    private func requeueLocked(_ entry: Unsettled) {
        var message = entry.message
        message.redelivered = true
        queues[entry.queue]?.messages.insert(message, at: 0)
    }

    /// Hands waiting messages of `name` to its consumers, round robin, within each
    /// consumer's prefetch; each consumer gets what it was given as one batch.
    func dispatchLocked(_ name: String) {
        expireLocked(name)
        guard var queue = queues[name], !queue.consumers.isEmpty, !queue.messages.isEmpty else { return }
        var batches: [Int: [Delivery]] = [:]
        var idle = 0
        while !queue.messages.isEmpty && idle < queue.consumers.count {
            let id = queue.consumers[queue.nextConsumer % queue.consumers.count]
            queue.nextConsumer = (queue.nextConsumer + 1) % queue.consumers.count
            guard let state = consumers[id], state.unsettledCount(on: name) < state.prefetch else {
                idle += 1
                continue
            }
            idle = 0
            let message = queue.messages.removeFirst()
            let tag = state.nextTag
            state.nextTag += 1
            state.unsettled[tag] = Unsettled(queue: name, message: message)
            batches[id, default: []].append(Delivery(
                deliveryTag: tag, generation: 1, queue: name, exchange: message.exchange,
                routingKey: message.routingKey, redelivered: message.redelivered,
                properties: message.properties, body: message.body))
        }
        queues[name] = queue
        for (id, batch) in batches { consumers[id]?.continuation.yield(batch) }
    }
}
