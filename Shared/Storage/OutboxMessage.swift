/// A message as the outbox stores it: plain values, so storage knows nothing of the broker.
/// The runtime turns a broker message into one (and back) when it writes and relays rows.
public struct OutboxMessage: Sendable, Hashable {
    /// The message id (for operators reading the table; the properties hold it too).
    public var messageId: String?
    /// The exchange to publish to.
    public var exchange: String
    /// The routing key.
    public var routingKey: String
    /// The message's properties and headers as JSON text (stored as `jsonb`).
    public var properties: String
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a row value.
    public init(messageId: String?, exchange: String, routingKey: String, properties: String, body: [UInt8]) {
        self.messageId = messageId
        self.exchange = exchange
        self.routingKey = routingKey
        self.properties = properties
        self.body = body
    }
}
