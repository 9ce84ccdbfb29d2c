import Contracts
import Foundation
import Messaging
import Storage

extension RuntimeContext {
    /// Whether work of `jobId` in `project` runs now, is held (its job or project is paused:
    /// `message` is kept, to be sent back to `queue` on resume) or is dropped (its job was
    /// cancelled). The board answers at once; a hold is confirmed against the stored controls,
    /// so work released by a resume a moment ago is never held again.
    public func obeyControls(jobId: String?, project: String?, message: @autoclosure () throws -> OutboxMessage,
                             queue: String) async throws -> JobControlBoard.Verdict {
        let verdict = controls.verdict(jobId: jobId, project: project)
        guard verdict == .hold else { return verdict }
        let held = JobControls.Held(jobId: jobId, project: project, reason: "paused", queue: queue, message: try message())
        switch try await JobControls.holdIfPaused(held, database: database, logger: logger) {
        case "paused": return .hold
        case "cancelled": return .drop
        default: return .run
        }
    }

    /// The stored form of a delivery, addressed back to `queue` (through the default exchange).
    public static func heldMessage(_ delivery: Delivery, queue: String) throws -> OutboxMessage {
        OutboxMessage(messageId: delivery.properties.messageId, exchange: "", routingKey: queue,
                      properties: String(decoding: try JSONCoding.encode(delivery.properties), as: UTF8.self),
                      body: delivery.body)
    }

    /// The stored form of an envelope this service would publish, addressed to `queue`.
    public func heldMessage<P: MessagePayload>(_ envelope: Envelope<P>, queue: String) throws -> OutboxMessage {
        var message = try OutboxMessage(OutgoingMessage.event(envelope, topology: topology))
        message.exchange = ""
        message.routingKey = queue
        return message
    }
}
