/// Receives deliveries from queues with manual acknowledgement.
///
/// Deliveries arrive in batches (bounded by the prefetch: never more unsettled deliveries
/// than that), in queue order. Each must be settled exactly once through the consumer that
/// delivered it: acked once its effects are committed, or nacked (requeued, or dead-lettered
/// through the queue's dead-letter exchange). A consumer that closes, or loses its
/// connection, leaves its unsettled deliveries to the broker, which redelivers them with
/// ``Delivery/redelivered`` set; settling a delivery from before that is a no-op.
public protocol MessageConsumer: Sendable {
    /// Batches of deliveries in the order the broker sent them. Ends after
    /// ``stopConsuming()`` or ``close()``.
    var deliveries: AsyncStream<[Delivery]> { get }

    /// Whether the consumer is connected to its broker right now.
    var isConnected: Bool { get }

    /// Starts consuming `queues` (and keeps consuming them across reconnects).
    func consume(queues: [String]) async throws

    /// Acknowledges deliveries (fire and forget: an ack lost with the connection only
    /// causes a redelivery, which handlers tolerate).
    func ack(_ deliveries: [Delivery])

    /// Rejects deliveries: requeued, or with `requeue: false` dead-lettered.
    func nack(_ deliveries: [Delivery], requeue: Bool)

    /// Acks `acks` and requeues `requeues`, returning once the broker has been told (or the
    /// connection is gone, which requeues them all). Throws ``TransportError/timedOut(_:)``
    /// when that takes longer than the consumer's settle timeout.
    func settle(acks: [Delivery], requeues: [Delivery]) async throws

    /// Stops new deliveries and ends ``deliveries`` after the batches already handed over;
    /// those can still be settled until ``close()``.
    func stopConsuming() async

    /// Closes the consumer; unsettled deliveries go back to their queues.
    func close() async
}
