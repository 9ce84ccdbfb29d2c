/// A value in an AMQP header table (the subset Sluice writes, plus what the broker sends,
/// e.g. `x-death`).
public enum HeaderValue: Sendable, Hashable, Codable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case timestamp(UInt64)
    case bytes([UInt8])
    case array([HeaderValue])
    case table([String: HeaderValue])
    case void

    /// The value as text when it is a string (or bytes holding UTF-8).
    public var stringValue: String? {
        switch self {
        case .string(let s): s
        case .bytes(let b): String(decoding: b, as: UTF8.self)
        default: nil
        }
    }

    /// The value as an integer when it is numeric.
    public var intValue: Int64? {
        switch self {
        case .int(let i): i
        case .timestamp(let t): Int64(t)
        case .double(let d): Int64(d)
        default: nil
        }
    }
}

/// AMQP basic properties. Sluice mirrors envelope fields here so tools that never read the
/// body (management UI, shovels, other clients) still see ids and types.
public struct MessageProperties: Sendable, Hashable, Codable {
    /// `message_id`.
    public var messageId: String?
    /// `type`.
    public var type: String?
    /// `correlation_id`.
    public var correlationId: String?
    /// `content_type`, `application/json` for envelopes.
    public var contentType: String?
    /// `app_id`: the producing service.
    public var appId: String?
    /// `timestamp` in seconds since 1970.
    public var timestamp: UInt64?
    /// Per-message TTL in milliseconds (used for jittered retry delays).
    public var expiration: String?
    /// Persistent (delivery mode 2) unless told otherwise.
    public var persistent: Bool = true
    /// Application headers.
    public var headers: [String: HeaderValue] = [:]

    /// Creates properties.
    public init(messageId: String? = nil, type: String? = nil, correlationId: String? = nil,
                contentType: String? = "application/json", appId: String? = nil,
                timestamp: UInt64? = nil, expiration: String? = nil, persistent: Bool = true,
                headers: [String: HeaderValue] = [:]) {
        self.messageId = messageId
        self.type = type
        self.correlationId = correlationId
        self.contentType = contentType
        self.appId = appId
        self.timestamp = timestamp
        self.expiration = expiration
        self.persistent = persistent
        self.headers = headers
    }
}

/// A message to publish. Publishes are mandatory by default: an unroutable message is an
/// error the caller sees, never a silent drop.
public struct OutgoingMessage: Sendable, Hashable {
    /// Target exchange (`""` is the default exchange, routing by queue name).
    public var exchange: String
    /// Routing key.
    public var routingKey: String
    /// Body bytes.
    public var body: [UInt8]
    /// Properties and headers.
    public var properties: MessageProperties
    /// Ask the broker to return the message if no queue receives it.
    public var mandatory: Bool

    /// Creates a message.
    public init(exchange: String, routingKey: String, body: [UInt8],
                properties: MessageProperties = .init(), mandatory: Bool = true) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
        self.mandatory = mandatory
    }
}

/// A message received from a queue. Ack or nack it through the consumer that delivered it.
public struct Delivery: Sendable {
    /// The broker's tag, valid only on the connection generation that received it.
    public var deliveryTag: UInt64
    /// Which (re)connection delivered it; acks for an older generation are dropped because
    /// the broker has already requeued those messages.
    public var generation: Int
    /// The queue it came from.
    public var queue: String
    /// The exchange it was published to.
    public var exchange: String
    /// The routing key it was published with.
    public var routingKey: String
    /// True when the broker delivered it before (a consumer died or nacked it).
    public var redelivered: Bool
    /// Properties and headers.
    public var properties: MessageProperties
    /// Body bytes.
    public var body: [UInt8]

    /// Creates a delivery (used by the AMQP worker and by tests).
    public init(deliveryTag: UInt64, generation: Int, queue: String, exchange: String, routingKey: String,
                redelivered: Bool, properties: MessageProperties, body: [UInt8]) {
        self.deliveryTag = deliveryTag
        self.generation = generation
        self.queue = queue
        self.exchange = exchange
        self.routingKey = routingKey
        self.redelivered = redelivered
        self.properties = properties
        self.body = body
    }
}
