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
