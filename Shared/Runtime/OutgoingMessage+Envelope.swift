import Contracts
import Foundation
import Messaging

extension OutgoingMessage {
    /// An envelope as an AMQP message on the events exchange, with its ids and type
    /// mirrored into properties and headers so non-Sluice tools can read them.
    public static func event<P: MessagePayload>(_ envelope: Envelope<P>, topology: SluiceTopology,
                                               traceparent: String? = nil) throws -> OutgoingMessage {
        var headers: [String: HeaderValue] = ["x-sluice-version": .int(Int64(envelope.version))]
        if let job = envelope.jobId { headers["x-sluice-job-id"] = .string(job) }
        if let traceparent { headers["traceparent"] = .string(traceparent) }
        let properties = MessageProperties(
            messageId: envelope.id, type: envelope.type.rawValue, correlationId: envelope.correlationId,
            contentType: "application/json", appId: envelope.producer,
            timestamp: UInt64(max(0, envelope.occurredAt.timeIntervalSince1970)), headers: headers)
        return OutgoingMessage(exchange: topology.eventsExchange, routingKey: envelope.type.rawValue,
                               body: try JSONCoding.encode(envelope), properties: properties)
    }
}
