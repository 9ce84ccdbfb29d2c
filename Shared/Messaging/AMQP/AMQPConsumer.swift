import Logging

/// Consumes queues with manual acknowledgement on a connection of its own.
///
/// Deliveries arrive in batches (one per socket read, bounded by the prefetch), so the
/// async side pays one hop per batch rather than per message. Ack or nack each delivery
/// only after its effects are committed and its outgoing messages confirmed. After a
/// reconnect the consumer re-consumes by itself; settling a delivery from the previous
/// connection is a no-op, because the broker has already requeued it.
public final class AMQPConsumer: MessageConsumer {
    private let worker: AMQPWorker
    private let timeouts: AMQPTimeouts
    /// Batches of deliveries, in the order the broker sent them. Ends after ``close()``.
    public let deliveries: AsyncStream<[Delivery]>

    /// Connects (in the background) with `prefetch` unacked deliveries at most.
    public init(config: AMQPConfig, topology: Topology = Topology(), prefetch: Int = 200,
                timeouts: AMQPTimeouts = AMQPTimeouts(), logger: Logger) {
        var config = config
        config.connectionName += ".consume"
        self.timeouts = timeouts
        let (stream, continuation) = AsyncStream<[Delivery]>.makeStream()
        deliveries = stream
        worker = AMQPWorker(config: config, topology: topology, role: .consumer(prefetch: prefetch),
                            logger: logger, deliveries: continuation)
    }

    /// Whether the consuming connection is open.
    public var isConnected: Bool { worker.isConnected }

    /// Sessions opened so far: 1 while the first connection lasts, more after reconnects.
    public var connectCount: Int { worker.connectCount }

    /// Starts consuming `queues` (and again after every reconnect).
    public func consume(queues: [String]) async throws {
        try await withCheckedThrowingContinuation { worker.submit(.consume(queues, $0)) }
    }

    /// Acknowledges deliveries in one hop.
    public func ack(_ deliveries: [Delivery]) {
        guard !deliveries.isEmpty else { return }
        worker.submit(.settle(deliveries.map { .init(tag: $0.deliveryTag, generation: $0.generation, kind: .ack) }, nil))
    }

    /// Acks `acks` and requeues `requeues`, returning once the frames are on the wire (or the
    /// connection is gone, in which case the broker requeues them all), at most
    /// ``AMQPTimeouts/settle``. Used where a crash right after must not undo the settlement,
    /// e.g. between suspected poison messages.
    public func settle(acks: [Delivery], requeues: [Delivery]) async throws {
        let settlements = acks.map { AMQPWorker.Settlement(tag: $0.deliveryTag, generation: $0.generation, kind: .ack) }
            + requeues.map { AMQPWorker.Settlement(tag: $0.deliveryTag, generation: $0.generation, kind: .nack(requeue: true)) }
        guard !settlements.isEmpty else { return }
        try await Rendezvous.wait(timeout: timeouts.settle, "settling \(settlements.count) deliveries") { rendezvous in
            worker.submit(.settle(settlements, rendezvous))
        }
    }

    /// Rejects deliveries; with `requeue: false` the queue's dead-letter exchange takes them.
    public func nack(_ deliveries: [Delivery], requeue: Bool) {
        guard !deliveries.isEmpty else { return }
        worker.submit(.settle(deliveries.map {
            .init(tag: $0.deliveryTag, generation: $0.generation, kind: .nack(requeue: requeue))
        }, nil))
    }

    /// Stops receiving new deliveries and ends ``deliveries`` after the batches already handed
    /// over; those can still be settled until ``close()``.
    public func stopConsuming() async {
        await withCheckedContinuation { worker.submit(.cancelConsumers($0)) }
    }

    /// Closes the connection and ends ``deliveries``. Unsettled deliveries are requeued.
    public func close() async {
        await withCheckedContinuation { worker.submit(.close($0)) }
    }
}
