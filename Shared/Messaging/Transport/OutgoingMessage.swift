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
