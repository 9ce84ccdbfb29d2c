import Messaging

/// The broker objects one conformance case declares, named from a unique prefix:
/// `<p>.x` (topic) → `<p>.q` (`work.#`, dead-lettering to `<p>.dlq` through `<p>.dlx`) and
/// `<p>.q1` (`work.*`); `<p>.delay` holds messages for their TTL, then dead-letters them
/// to `<p>.q` through the default exchange, as Sluice's retry queues do.
public struct ConformanceTopology: Sendable {
    /// The unique name prefix.
    public let prefix: String
    /// The topic exchange.
    public var exchange: String { "\(prefix).x" }
    /// The main work queue (`work.#`).
    public var queue: String { "\(prefix).q" }
    /// A queue bound to one-word keys only (`work.*`).
    public var narrowQueue: String { "\(prefix).q1" }
    /// The main queue's dead-letter queue.
    public var deadLetterQueue: String { "\(prefix).dlq" }
    /// The delay queue.
    public var delayQueue: String { "\(prefix).delay" }

    /// Names everything from `prefix`.
    public init(prefix: String) { self.prefix = prefix }

    /// What to declare. Queues expire 5 minutes after last use, so a real broker cleans up.
    public var topology: Topology {
        let expires: [String: HeaderValue] = ["x-expires": .int(300_000)]
        return Topology(
            exchanges: [.init(name: exchange, type: "topic"), .init(name: "\(prefix).dlx", type: "direct")],
            queues: [
                .init(name: queue, arguments: expires.merging([
                    "x-dead-letter-exchange": .string("\(prefix).dlx"), "x-dead-letter-routing-key": .string("q"),
                ]) { $1 }),
                .init(name: narrowQueue, arguments: expires),
                .init(name: deadLetterQueue, arguments: expires),
                .init(name: delayQueue, arguments: expires.merging([
                    "x-message-ttl": .int(60_000), "x-dead-letter-exchange": .string(""),
                    "x-dead-letter-routing-key": .string(queue),
                ]) { $1 }),
            ],
            bindings: [.init(queue: queue, exchange: exchange, routingKey: "work.#"),
                       .init(queue: narrowQueue, exchange: exchange, routingKey: "work.*"),
                       .init(queue: deadLetterQueue, exchange: "\(prefix).dlx", routingKey: "q")])
    }

    /// Message `index` of type `work.item` (routing key `key`), with `x-index` set.
    public func message(_ index: Int, key: String = "work.item", size: Int = 64) -> OutgoingMessage {
        var body = Array("message-\(index)|".utf8)
        body += [UInt8](repeating: UInt8(ascii: "x"), count: max(0, size - body.count))
        return OutgoingMessage(exchange: exchange, routingKey: key, body: body,
                               properties: MessageProperties(messageId: "m-\(index)", type: key,
                                                             headers: ["x-index": .int(Int64(index))]))
    }
}
