import Contracts
import Foundation
import Messaging

extension OutgoingMessage {
    /// An envelope as an AMQP message on the events exchange, with its ids, type and priority
    /// mirrored into properties and headers so non-Sluice tools can read them. Work of an
    /// urgent or low job is routed to that priority's lane (``MessageType/routingKey(_:)``).
    public static func event<P: MessagePayload>(_ envelope: Envelope<P>, topology: SluiceTopology,
                                               traceparent: String? = nil) throws -> OutgoingMessage {
        var headers: [String: HeaderValue] = ["x-sluice-version": .int(Int64(envelope.version))]
        if let job = envelope.jobId { headers["x-sluice-job-id"] = .string(job) }
        if let traceparent { headers["traceparent"] = .string(traceparent) }
        // The lane survives a retry, which comes back through the service's normal queue.
        if let priority = envelope.priority { headers[Priority.header] = .string(priority.rawValue) }
        if let project = envelope.project { headers["x-sluice-project"] = .string(project) }
        let properties = MessageProperties(
            messageId: envelope.id, type: envelope.type.rawValue, correlationId: envelope.correlationId,
            contentType: "application/json", appId: envelope.producer,
            timestamp: UInt64(max(0, envelope.occurredAt.timeIntervalSince1970)), headers: headers)
        return OutgoingMessage(exchange: topology.eventsExchange, routingKey: envelope.type.routingKey(envelope.priority),
                               body: try JSONCoding.encode(envelope), properties: properties)
    }
}
