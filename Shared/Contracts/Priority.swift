/// How soon a job's work is done: `urgent` jumps the line at every stage, `low` yields to
/// the rest, `normal` is the default. FIFO within one priority.
///
/// Work messages of an urgent or low job travel under a routing key with the priority as
/// its last word (`chunk.ingested.urgent`), into the consuming service's lane queue for that
/// priority; normal work keeps the bare message type. Consumers serve their lanes by
/// weighted round robin (`consumer.lanes.weights`), so low work still advances under a
/// steady urgent load, on classic and quorum queues alike (no broker priorities involved).
public enum Priority: String, Codable, Sendable, CaseIterable, Comparable {
    /// Before everything else.
    case urgent
    /// The default.
    case normal
    /// After everything else, but never starved.
    case low

    /// The word appended to a work message's routing key; nil for `normal`.
    public var routingSuffix: String? { self == .normal ? nil : rawValue }

    /// Urgent sorts first.
    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .urgent: 0
        case .normal: 1
        case .low: 2
        }
    }

    /// Reads a priority named by a person or a header; nil for anything else.
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }
}

extension MessageType {
    /// Whether this type is stage work that travels in priority lanes (see ``Priority``).
    /// Events meant for people and observers (`job.published`, incidents, …) keep their bare
    /// routing key whatever the job's priority, so subscribers binding the type see them all.
    public var isLaneWork: Bool {
        switch self {
        case .jobSubmit, .jobIngested, .chunkIngested, .chunkValidated, .chunkTransformed, .jobRepublish: true
        default: false
        }
    }

    /// The routing key a message of this type and `priority` is published with.
    public func routingKey(_ priority: Priority?) -> String {
        guard isLaneWork, let suffix = priority?.routingSuffix else { return rawValue }
        return "\(rawValue).\(suffix)"
    }
}

extension Priority {
    /// The AMQP header every message of a prioritised job carries.
    public static let header = "x-sluice-priority"
}
