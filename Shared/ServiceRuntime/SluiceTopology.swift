import Contracts
import Messaging

/// Sluice's broker layout, all names derived from one prefix (tests use a unique prefix).
///
/// - `<p>.events`: the durable topic exchange; routing key = message type.
/// - `<p>.<service>`: one durable queue per consuming service, bound by message type; its
///   dead-letter exchange is `<p>.dlx` with the service name as key, so the broker's own
///   dead-lettering (TTL, overflow, delivery limit, reject) lands in the service's DLQ.
/// - `<p>.<service>.dlq`: the service's dead-letter queue, bound to `<p>.dlx`.
/// - `<p>.<service>.retry.<ms>ms`: durable delay queues; a message waits there for its TTL
///   and is dead-lettered back to `<p>.<service>` through the default exchange.
public struct SluiceTopology: Sendable, Hashable {
    /// Name prefix, `sluice` in production.
    public var prefix: String
    /// When set, queues are deleted by the broker after this long unused (`x-expires`);
    /// for throwaway topologies in tests, never in production.
    public var queueExpiryMilliseconds: Int?

    /// Creates a topology naming scheme.
    public init(prefix: String = "sluice", queueExpiryMilliseconds: Int? = nil) {
        self.prefix = prefix
        self.queueExpiryMilliseconds = queueExpiryMilliseconds
    }

    /// The services that consume, and the routing keys their queue binds.
    public static let subscriptions: [(service: String, keys: [String])] = [
        ("ingest", [MessageType.jobSubmit.rawValue]),
        ("validate", [MessageType.chunkIngested.rawValue]),
        ("transform", [MessageType.chunkValidated.rawValue]),
        ("publish", [MessageType.jobIngested.rawValue, MessageType.chunkTransformed.rawValue,
                     MessageType.jobRepublish.rawValue]),
        ("notify", [MessageType.jobPublished.rawValue, MessageType.jobFailed.rawValue,
                    MessageType.incidentOpened.rawValue]),
        ("metrics", ["#"]),
        ("incident", [MessageType.jobFailed.rawValue]),
    ]

    /// Services that consume (and so have a DLQ).
    public static var consumingServices: [String] { subscriptions.map(\.service) }

    /// The topic exchange all events go to.
    public var eventsExchange: String { "\(prefix).events" }
    /// The exchange dead letters go to.
    public var deadLetterExchange: String { "\(prefix).dlx" }
    /// A service's work queue.
    public func queue(_ service: String) -> String { "\(prefix).\(service)" }
    /// A service's dead-letter queue.
    public func deadLetterQueue(_ service: String) -> String { "\(prefix).\(service).dlq" }
    /// A service's delay queue for one retry delay.
    public func retryQueue(_ service: String, delayMilliseconds: Int) -> String {
        "\(prefix).\(service).retry.\(delayMilliseconds)ms"
    }

    /// The service whose DLQ `queue` is, if it is one.
    public func serviceOfDeadLetterQueue(_ queue: String) -> String? {
        guard queue.hasPrefix("\(prefix)."), queue.hasSuffix(".dlq") else { return nil }
        return String(queue.dropFirst(prefix.count + 1).dropLast(4))
    }

    /// Everything, with `policy`'s delay queues for every consuming service.
    public func all(policy: RetryPolicy = RetryPolicy()) -> Topology {
        var topology = Topology(exchanges: [
            .init(name: eventsExchange, type: "topic"),
            .init(name: deadLetterExchange, type: "direct"),
        ])
        for (service, keys) in Self.subscriptions {
            topology = topology.merged(with: self.service(service, keys: keys, policy: policy))
        }
        return topology
    }

    /// One service's queues and bindings.
    public func service(_ service: String, keys: [String], policy: RetryPolicy) -> Topology {
        var topology = rawService(service, keys: keys, policy: policy)
        if let expiry = queueExpiryMilliseconds {
            for i in topology.queues.indices { topology.queues[i].arguments["x-expires"] = .int(Int64(expiry)) }
        }
        return topology
    }

    private func rawService(_ service: String, keys: [String], policy: RetryPolicy) -> Topology {
        var topology = Topology()
        topology.queues.append(.init(name: queue(service), arguments: [
            "x-dead-letter-exchange": .string(deadLetterExchange),
            "x-dead-letter-routing-key": .string(service),
        ]))
        topology.queues.append(.init(name: deadLetterQueue(service)))
        topology.bindings.append(.init(queue: deadLetterQueue(service), exchange: deadLetterExchange, routingKey: service))
        for key in keys {
            topology.bindings.append(.init(queue: queue(service), exchange: eventsExchange, routingKey: key))
        }
        for delay in policy.delayLevels {
            topology.queues.append(.init(name: retryQueue(service, delayMilliseconds: delay), arguments: [
                "x-message-ttl": .int(Int64(delay)),
                "x-dead-letter-exchange": .string(""),
                "x-dead-letter-routing-key": .string(queue(service)),
            ]))
        }
        return topology
    }

    /// The queues `service` consumes: its own, and for `incident` every DLQ as well.
    public func consumedQueues(_ service: String) -> [String] {
        var queues = [queue(service)]
        if service == "incident" { queues += Self.consumingServices.map(deadLetterQueue) }
        return queues
    }
}
