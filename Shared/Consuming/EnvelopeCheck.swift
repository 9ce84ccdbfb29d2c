import Contracts
import Messaging
import Runtime

/// Checks a delivery before any handler sees it and finds the head it is routed by. Inputs
/// that can never succeed are permanent errors: bodies that are not an envelope, and JSON that
/// PostgreSQL would store differently than Swift reads it (a `\u0000` escape, which jsonb
/// rejects; a duplicate key, of which Swift keeps the first and jsonb the last).
///
/// The head comes from the AMQP properties when the producer mirrored the envelope there, as
/// every Sluice producer does (`message_id`, `type`, `correlation_id`, `x-sluice-version`,
/// `x-sluice-job-id`): the body is then decoded once, by the handler, which checks that both
/// agree (``agree(_:_:)``). A message without them (another client) has its head read from the
/// body first.
enum EnvelopeCheck {
    static func head(of delivery: Delivery) throws -> EnvelopeHead {
        let body = delivery.body
        switch JSONKeyScan.scan(body) {
        case .nulEscape:
            throw SluiceError.permanent("message.nul-character", "the body contains a \\u0000 escape, which cannot be stored")
        case .duplicateKey(let key):
            throw SluiceError.permanent("message.duplicate-key",
                "the body has the key \"\(key)\" twice in one object; which one counts would depend on the reader")
        case nil:
            break
        }
        if let head = head(of: delivery.properties) { return head }
        do {
            return try JSONCoding.decode(EnvelopeHead.self, from: body)
        } catch {
            throw SluiceError.permanent("message.undecodable", "the body is not a Sluice JSON envelope: \(describe(error))")
        }
    }

    /// The head the properties carry, if they carry a whole one.
    static func head(of properties: MessageProperties) -> EnvelopeHead? {
        guard let id = properties.messageId, let type = properties.type, let correlationId = properties.correlationId,
              case .int(let version)? = properties.headers["x-sluice-version"],
              let version = Int(exactly: version) else { return nil }
        return EnvelopeHead(id: id, type: type, version: version,
                            jobId: properties.headers["x-sluice-job-id"]?.stringValue,
                            correlationId: correlationId, producer: properties.appId)
    }

    /// The error for a body that is not an envelope at all, nil when its head reads: for
    /// deliveries no handler decodes (an observer's other types), which are still refused
    /// when they are not envelopes.
    static func undecodableHead(_ body: [UInt8]) -> SluiceError? {
        do {
            _ = try JSONCoding.decode(EnvelopeHead.self, from: body)
            return nil
        } catch {
            return SluiceError.permanent("message.undecodable", "the body is not a Sluice JSON envelope: \(describe(error))")
        }
    }

    /// Refuses a message whose properties name another message than its body: routing, the
    /// inbox and the handler must all mean the same one.
    static func agree(_ routed: EnvelopeHead, _ body: EnvelopeHead) throws {
        var differences: [String] = []
        if routed.id != body.id { differences.append("id \(routed.id) ≠ \(body.id)") }
        if routed.type != body.type { differences.append("type \(routed.type) ≠ \(body.type)") }
        if routed.version != body.version { differences.append("version \(routed.version) ≠ \(body.version)") }
        if routed.correlationId != body.correlationId {
            differences.append("correlationId \(routed.correlationId) ≠ \(body.correlationId)")
        }
        if let job = routed.jobId, job != body.jobId { differences.append("jobId \(job) ≠ \(body.jobId ?? "none")") }
        guard !differences.isEmpty else { return }
        throw SluiceError.permanent("message.properties-mismatch",
            "the AMQP properties and the body name different messages (properties ≠ body: "
                + differences.joined(separator: "; ") + "); publish the properties from the envelope itself")
    }
}
