/// A topology in RabbitMQ's definitions format, for `rabbitmqctl import_definitions` or the
/// management UI; `infra/rabbitmq/definitions.json` is generated from it.
public struct RabbitDefinitions: Encodable, Sendable {
    struct VHost: Encodable { var name: String }
    struct Exchange: Encodable {
        var name: String, vhost: String, type: String, durable = true
        var auto_delete = false, `internal` = false, arguments: [String: PlainHeader] = [:]
    }
    struct Queue: Encodable {
        var name: String, vhost: String, durable = true, auto_delete = false, arguments: [String: PlainHeader]
    }
    struct Binding: Encodable {
        var source: String, vhost: String, destination: String, destination_type = "queue"
        var routing_key: String, arguments: [String: PlainHeader] = [:]
    }

    let vhosts: [VHost]
    let exchanges: [Exchange]
    let queues: [Queue]
    let bindings: [Binding]

    /// Converts `topology` for `vhost`.
    public init(topology: Topology, vhost: String) {
        vhosts = [VHost(name: vhost)]
        exchanges = topology.exchanges.map { Exchange(name: $0.name, vhost: vhost, type: $0.type) }
        queues = topology.queues.map { Queue(name: $0.name, vhost: vhost, arguments: $0.arguments.mapValues(PlainHeader.init)) }
        bindings = topology.bindings.map {
            Binding(source: $0.exchange, vhost: vhost, destination: $0.queue, routing_key: $0.routingKey)
        }
    }
}

/// A header value as plain JSON (`"text"`, `12`, `true`, `[…]`, `{…}`), for documents people
/// and other tools read; ``HeaderValue``'s own Codable form is tagged so it round-trips.
public struct PlainHeader: Encodable, Sendable {
    /// The wrapped value.
    public let value: HeaderValue

    /// Wraps `value`.
    public init(_ value: HeaderValue) { self.value = value }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch value {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .bool(let b): try c.encode(b)
        case .timestamp(let t): try c.encode(t)
        case .bytes(let b): try c.encode(String(decoding: b, as: UTF8.self))
        case .array(let a): try c.encode(a.map(PlainHeader.init))
        case .table(let t): try c.encode(t.mapValues(PlainHeader.init))
        case .void: try c.encodeNil()
        }
    }
}
