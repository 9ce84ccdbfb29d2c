import Foundation

/// A broker queue as `GET /api/v1/queues` and `sluice queues` show it: type, ready and
/// unacknowledged messages, consumers, rates and, for a work queue, its dead-letter depth.
public struct QueueRow: Codable, Sendable {
    /// The queue name.
    public var name: String
    /// `classic` or `quorum`.
    public var type: String
    /// Messages ready for delivery.
    public var ready: Int
    /// Messages delivered and not yet acknowledged.
    public var unacked: Int
    /// Consumers attached.
    public var consumers: Int
    /// Messages published per second (the management API's recent rate).
    public var publishRate: Double
    /// Messages delivered per second.
    public var deliverRate: Double
    /// The depth of the queue's `.dlq`, when it has one.
    public var dlq: Int?

    /// The rows, sorted by name, each work queue with the depth of its `.dlq`.
    public static func rows(_ queues: [ManagementQueue]) -> [QueueRow] {
        let depth = Dictionary(queues.map { queue in
            (queue.name, queue.messages ?? ((queue.messagesReady ?? 0) + (queue.messagesUnacknowledged ?? 0)))
        }, uniquingKeysWith: { first, _ in first })
        return queues.sorted { $0.name < $1.name }.map { queue in
            QueueRow(name: queue.name, type: queue.arguments?.queueType ?? queue.type ?? "classic",
                     ready: queue.messagesReady ?? 0, unacked: queue.messagesUnacknowledged ?? 0, consumers: queue.consumers ?? 0,
                     publishRate: queue.messageStats?.publishDetails?.rate ?? 0,
                     deliverRate: queue.messageStats?.deliverGetDetails?.rate ?? 0,
                     dlq: queue.name.hasSuffix(".dlq") ? nil : depth[queue.name + ".dlq"])
        }
    }
}

/// A queue as `GET /api/queues/{vhost}` describes it. Every field but the name may be
/// absent (a queue without statistics yet) or shaped unexpectedly; those read as absent.
public struct ManagementQueue: Decodable, Sendable {
    /// The management API's field.
    public var name: String
    /// The management API's field.
    public var type: String?
    /// The management API's field.
    public var arguments: Arguments?
    /// The management API's field.
    public var messages: Int?
    /// The management API's field.
    public var messagesReady: Int?
    /// The management API's field.
    public var messagesUnacknowledged: Int?
    /// The management API's field.
    public var consumers: Int?
    /// The management API's field.
    public var messageStats: Stats?

    /// `arguments`.
    public struct Arguments: Decodable, Sendable {
        /// `x-queue-type`.
        public var queueType: String?
        enum CodingKeys: String, CodingKey { case queueType = "x-queue-type" }
    }

    /// `message_stats`.
    public struct Stats: Decodable, Sendable {
        /// `publish_details`.
        public var publishDetails: Rate?
        /// `deliver_get_details`.
        public var deliverGetDetails: Rate?
        enum CodingKeys: String, CodingKey {
            case publishDetails = "publish_details"
            case deliverGetDetails = "deliver_get_details"
        }
    }

    /// A rate.
    public struct Rate: Decodable, Sendable {
        /// Per second.
        public var rate: Double?
    }

    enum CodingKeys: String, CodingKey {
        case name, type, arguments, messages, consumers
        case messagesReady = "messages_ready"
        case messagesUnacknowledged = "messages_unacknowledged"
        case messageStats = "message_stats"
    }

    /// Reads what it can; malformed fields read as absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try? container.decodeIfPresent(String.self, forKey: .type)
        arguments = try? container.decodeIfPresent(Arguments.self, forKey: .arguments)
        messages = try? container.decodeIfPresent(Int.self, forKey: .messages)
        messagesReady = try? container.decodeIfPresent(Int.self, forKey: .messagesReady)
        messagesUnacknowledged = try? container.decodeIfPresent(Int.self, forKey: .messagesUnacknowledged)
        consumers = try? container.decodeIfPresent(Int.self, forKey: .consumers)
        messageStats = try? container.decodeIfPresent(Stats.self, forKey: .messageStats)
    }
}
