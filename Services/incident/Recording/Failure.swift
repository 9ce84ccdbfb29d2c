import Consuming
import Contracts
import Foundation
import Messaging
import PostgresNIO
import Runtime

/// One failure as the incident service stores it: a dead letter from some service's DLQ, or
/// a `job.failed` event.
struct Failure: Sendable {
    var id: String
    var kind: String
    var queue: String
    var service: String
    var messageId: String?
    var messageType: String?
    var jobId: String?
    var correlationId: String?
    var errorType: String
    var errorText: String
    var attempts: Int
    var headers: [String: HeaderValue]
    var body: [UInt8]
    var firstFailure: String?
    var lastFailure: String?
    var errorContext: String?
    var originalExchange: String?
    var originalRoutingKey: String?
    /// Where a re-drive sends the message: the queue whose consumer failed.
    var targetQueue: String?
    /// The message's AMQP properties as JSON, so a re-drive restores them exactly.
    var properties: [UInt8]?
    var redriveCount: Int
    /// Set when this failure is a re-driven copy failing again.
    var redriveId: String?
    var redrivenFrom: String?

    /// A dead letter, read from the fault headers the runtime adds, or from the broker's own
    /// `x-death` when the broker dead-lettered it (TTL, overflow, delivery limit, reject).
    init(deadLetter delivery: Delivery, topology: SluiceTopology) {
        let h = delivery.properties.headers
        typealias F = FaultHeader
        let death = Self.firstDeath(h)
        // The broker dead-lettered it last unless its latest death is a retry delay running
        // out (that is how every retry travels) or there is none: then a handler did, and
        // the fault headers describe it.
        let brokerDeath = death.flatMap { d -> [String: HeaderValue]? in
            let queue = d["queue"]?.stringValue ?? ""
            return d["reason"]?.stringValue == "expired" && topology.isRetryQueue(queue) ? nil : d
        }
        let handlerDied = h[F.errorType] != nil && brokerDeath == nil
        service = (handlerDied ? h[F.service]?.stringValue : nil)
            ?? topology.serviceOfDeadLetterQueue(delivery.queue) ?? h[F.service]?.stringValue ?? "unknown"
        kind = "dead-letter"
        queue = delivery.queue
        messageId = delivery.properties.messageId
        messageType = delivery.properties.type ?? h[F.handler]?.stringValue
        jobId = h["x-sluice-job-id"]?.stringValue
        correlationId = delivery.properties.correlationId
        if handlerDied, let type = h[F.errorType]?.stringValue {
            errorType = type
            errorText = h[F.errorText]?.stringValue ?? ""
        } else {
            let reason = brokerDeath?["reason"]?.stringValue ?? "unknown"
            errorType = "broker.\(reason)"
            var text = "dead-lettered by the broker (\(reason)) from queue \(brokerDeath?["queue"]?.stringValue ?? delivery.queue)"
            if let earlier = h[F.errorType]?.stringValue {
                text += "; the handler had failed before with [\(earlier)] \(h[F.errorText]?.stringValue ?? "")"
            }
            errorText = text
        }
        attempts = Int(h[F.attempts]?.intValue ?? death?["count"]?.intValue ?? 1)
        headers = h
        body = delivery.body
        firstFailure = h[F.firstFailure]?.stringValue
        lastFailure = h[F.lastFailure]?.stringValue
        errorContext = h[F.errorContext]?.stringValue
        let deathKeys: [HeaderValue]? = if case .array(let keys)? = death?["routing-keys"] { keys } else { nil }
        originalExchange = h[F.originalExchange]?.stringValue ?? death?["exchange"]?.stringValue
        originalRoutingKey = h[F.originalRoutingKey]?.stringValue ?? deathKeys?.first?.stringValue
        targetQueue = brokerDeath?["queue"]?.stringValue ?? h[F.queue]?.stringValue
            ?? topology.serviceOfDeadLetterQueue(delivery.queue).map(topology.queue)
        if let time = death?["time"]?.intValue, lastFailure == nil {
            lastFailure = JSONCoding.formatTimestamp(Date(timeIntervalSince1970: TimeInterval(time)))
            firstFailure = lastFailure
        }
        properties = try? JSONCoding.encode(delivery.properties)
        redriveCount = Int(h[F.redriveCount]?.intValue ?? 0)
        redriveId = h[F.redriveId]?.stringValue
        redrivenFrom = h[F.deadLetterId]?.stringValue
        // Stable across redeliveries of the same dead letter (and across a handler that died
        // after dead-lettering: the runtime's failure id is deterministic), distinct for a
        // later failure of the same message. A broker death is identified by its own time.
        if handlerDied, let failureId = h[F.failureId]?.stringValue {
            id = "dl-" + MessageID.hash(delivery.queue, failureId)
        } else {
            id = "dl-" + MessageID.hash(delivery.queue, messageId ?? MessageID.sha256Hex(delivery.body),
                                        "\(brokerDeath?["time"]?.intValue ?? 0)", "\(brokerDeath?["count"]?.intValue ?? 0)",
                                        lastFailure ?? "")
        }
    }

    /// A failed job.
    /// A failure that is an event, not a message (a failed job, a schedule that stopped
    /// firing, a metric that could not be computed): nothing to re-drive.
    private init<P: MessagePayload>(event envelope: Envelope<P>, prefix: String, kind: String, service: String, jobId: String?,
                                    errorType: String, errorText: String) {
        id = prefix + MessageID.hash(envelope.id)
        self.kind = kind
        queue = ""
        self.service = service
        messageId = envelope.id
        messageType = P.messageType.rawValue
        self.jobId = jobId
        correlationId = envelope.correlationId
        self.errorType = errorType
        self.errorText = errorText
        attempts = 1
        headers = [:]
        body = (try? JSONCoding.encode(envelope)) ?? []
        firstFailure = JSONCoding.formatTimestamp(envelope.occurredAt)
        lastFailure = firstFailure
        redriveCount = 0
    }

    /// A schedule that stopped firing: grouped per schedule (the name stays in the text).
    init(scheduleOverdue envelope: Envelope<ScheduleOverdue>) {
        self.init(event: envelope, prefix: "so-", kind: "schedule-overdue", service: "scheduler", jobId: nil,
                  errorType: "scheduler.schedule-overdue", errorText: envelope.payload.reason)
    }

    /// A calculated metric whose computation failed: grouped per metric (the name stays in the text).
    init(metricFailed envelope: Envelope<MetricFailed>) {
        let p = envelope.payload
        self.init(event: envelope, prefix: "mf-", kind: "metric-failed", service: "metrics", jobId: nil,
                  errorType: p.outcome == "timed-out" ? "metrics.timeout" : "metrics.compute-failed",
                  errorText: "metric \(p.metric) (version \(p.version)) for \(JSONCoding.formatTimestamp(p.periodStart)) to "
                      + "\(JSONCoding.formatTimestamp(p.periodEnd)): \(p.reason)")
    }

    init(jobFailed envelope: Envelope<JobFailed>) {
        let p = envelope.payload
        self.init(event: envelope, prefix: "jf-", kind: "job-failed", service: p.stage, jobId: p.job.jobId,
                  errorType: p.code, errorText: p.reason)
    }

    private static func firstDeath(_ headers: [String: HeaderValue]) -> [String: HeaderValue]? {
        guard case .array(let deaths)? = headers["x-death"], case .table(let first)? = deaths.first else { return nil }
        return first
    }

    /// The failure with every text NUL-free: PostgreSQL rejects NUL in text and jsonb, and a dead
    /// letter the incident service cannot store would be retried forever.
    var storable: Failure {
        var copy = self
        func clean(_ s: String) -> String { s.replacingNUL }
        func clean(_ v: HeaderValue) -> HeaderValue {
            switch v {
            case .string(let s): .string(clean(s))
            case .bytes(let b): .string(clean(String(decoding: b, as: UTF8.self)))
            case .array(let a): .array(a.map(clean))
            case .table(let t): .table(Dictionary(uniqueKeysWithValues: t.map { (clean($0.key), clean($0.value)) }))
            default: v
            }
        }
        copy.queue = clean(queue)
        copy.service = clean(service)
        copy.messageId = messageId.map(clean)
        copy.messageType = messageType.map(clean)
        copy.jobId = jobId.map(clean)
        copy.correlationId = correlationId.map(clean)
        copy.errorType = clean(errorType)
        copy.errorText = clean(errorText)
        copy.firstFailure = firstFailure.map(clean)
        copy.lastFailure = lastFailure.map(clean)
        copy.errorContext = errorContext.map(clean)
        copy.originalExchange = originalExchange.map(clean)
        copy.originalRoutingKey = originalRoutingKey.map(clean)
        copy.targetQueue = targetQueue.map(clean)
        copy.headers = Dictionary(uniqueKeysWithValues: headers.map { (clean($0.key), clean($0.value)) })
        return copy
    }

    /// Whether storing failed because of the failure's own content (a header value JSON or
    /// PostgreSQL cannot take), as opposed to the database being unavailable.
    static func isUnstorable(_ error: any Error) -> Bool {
        if error is EncodingError { return true }
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            return state.hasPrefix("22") || state.hasPrefix("23")
        }
        return false
    }

    /// The failure with its headers and properties replaced by their text, which can always
    /// be stored; the body is kept as it was.
    func degraded(because error: any Error) -> Failure {
        var copy = self
        copy.headers = ["x-sluice-unstorable-headers": .string(String(String(describing: headers).prefix(16_000)))]
        copy.properties = nil
        copy.errorText += " (stored without its headers, which could not be stored: \(error))"
        return copy
    }

    /// Groups failures by cause: service, message type, error type and the error text with
    /// ids, numbers and timestamps masked.
    var fingerprint: String {
        MessageID.hash(service, messageType ?? "", errorType, Self.mask(errorText))
    }

    static func mask(_ text: String) -> String {
        var masked = text
        let patterns = [
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})?",
            "\\b[0-9a-f]{12,}\\b",
            "\\b(job|sched)-[A-Za-z0-9-]+",
            "\\d+(\\.\\d+)?",
        ]
        for pattern in patterns {
            masked = masked.replacingOccurrences(of: pattern, with: "#", options: .regularExpression)
        }
        return masked
    }
}
