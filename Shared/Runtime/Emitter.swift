import Contracts
import Messaging
import Storage

/// Collects the messages a transaction causes; they are written to the outbox in that
/// transaction and published (with confirms) after it commits.
public struct Emitter: Sendable {
    let outputs: OutputCollector
    let topology: SluiceTopology
    let traceparent: String?
    /// The emitting service, written into every envelope's `producer` (handlers never do).
    let producer: String

    /// Sends a stored message as it is (held work going back to its lane queue).
    public func send(_ stored: OutboxMessage) throws {
        outputs.append(try OutgoingMessage(stored))
    }

    /// Emits `envelope` as an event, from this service.
    public func emit<P: MessagePayload>(_ envelope: Envelope<P>) throws {
        outputs.append(try OutgoingMessage.event(envelope.from(producer), topology: topology,
                                                 traceparent: TraceParent.child(of: traceparent)))
    }
}
