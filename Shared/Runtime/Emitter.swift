import Contracts
import Messaging

/// Collects the messages a transaction causes; they are written to the outbox in that
/// transaction and published (with confirms) after it commits.
public struct Emitter: Sendable {
    let outputs: OutputCollector
    let topology: SluiceTopology
    let traceparent: String?

    /// Emits `envelope` as an event.
    public func emit<P: MessagePayload>(_ envelope: Envelope<P>) throws {
        outputs.append(try OutgoingMessage.event(envelope, topology: topology,
                                                 traceparent: TraceParent.child(of: traceparent)))
    }
}
