import Contracts
import Messaging

/// Sluice's broker layout, all names derived from one prefix (tests use a unique prefix).
///
/// - `<p>.events`: the durable topic exchange; routing key = message type.
/// - `<p>.<service>`: one durable queue per consuming service, bound by message type; its
///   dead-letter exchange is `<p>.dlx` with the service name as key, so the broker's own
///   dead-lettering (TTL, overflow, delivery limit, reject) lands in the service's DLQ.
/// - `<p>.<service>.urgent`, `<p>.<service>.low`: priority lanes, for a service that handles
///   stage work (``MessageType/isLaneWork``): bound to `<type>.urgent` and `<type>.low`, with
///   the work queue's arguments. The dispatcher serves the three by weighted round robin.
/// - `<p>.<service>.control`: for a stage worker, operators' `job.control` messages, consumed
///   apart from the work so a pause or cancel never waits behind a backlog.
/// - `<p>.<service>.dlq`: the service's dead-letter queue, bound to `<p>.dlx`.
/// - `<p>.<service>.retry.<ms>ms`: durable delay queues; a message waits there for its TTL
///   and is dead-lettered back to `<p>.<service>` through the default exchange. One queue
///   per delay, so a long wait never holds up a short one.
///
/// With quorum queues (for clusters) every queue is a quorum queue, work queues carry
/// `x-delivery-limit` as the broker's own poison net, and dead-lettering is at-least-once
/// (`x-dead-letter-strategy`), so a retry waiting in a delay queue survives a broker crash.
public struct SluiceTopology: Sendable, Hashable {
    /// The kind of queue declared.
    public enum QueueType: String, Sendable, Hashable, CaseIterable {
        /// Single-node classic queues (the default; fine for one machine).
        case classic
        /// Replicated Raft queues, for RabbitMQ clusters.
        case quorum
    }

    /// Name prefix, `sluice` in production.
    public var prefix: String
    /// When set, queues are deleted by the broker after this long unused (`x-expires`);
    /// for throwaway topologies in tests, never in production.
    public var queueExpiryMilliseconds: Int?
    /// Classic or quorum queues. A queue's type is fixed when declared: changing it needs
    /// new queue names (a new prefix) or deleting the old queues.
    public var queueType: QueueType
    /// Deliveries after which a message is treated as poison (consumer crashes). Sluice
    /// enforces it itself on every queue type; quorum queues also get `x-delivery-limit`
    /// at twice this value as the broker's backstop.
    public var deliveryLimit: Int

    /// Creates a topology naming scheme.
    public init(prefix: String = "sluice", queueExpiryMilliseconds: Int? = nil, queueType: QueueType = .classic,
                deliveryLimit: Int = 5, subscriptions: [Subscription] = []) {
        self.subscriptions = subscriptions
        self.prefix = prefix
        self.queueExpiryMilliseconds = queueExpiryMilliseconds
        self.queueType = queueType
        self.deliveryLimit = deliveryLimit
    }

    /// One consuming service's queue: the routing keys it binds (its handlers' message
    /// types, `#` for an observer) and whether it also drains every dead-letter queue.
    public struct Subscription: Sendable, Hashable {
        /// The service.
        public var service: String
        /// Routing keys bound to its queue.
        public var keys: [String]
        /// Whether it consumes the other services' DLQs too.
        public var deadLetters: Bool
        /// Whether it obeys operators' job controls (a stage worker): then it also has a
        /// control queue, bound to `job.control`.
        public var controlled: Bool

        /// Describes a subscription.
        public init(service: String, keys: [String], deadLetters: Bool = false, controlled: Bool = false) {
            self.service = service
            self.keys = keys
            self.deadLetters = deadLetters
            self.controlled = controlled
        }
    }

    /// Every consuming service's subscription, from the service catalog (each service's
    /// descriptor); empty when a process was built without it (then it declares only its own).
    public var subscriptions: [Subscription]

    /// Services that consume (and so have a DLQ).
    public var consumingServices: [String] { subscriptions.filter { !$0.keys.isEmpty || $0.deadLetters }.map(\.service) }

    /// The topic exchange all events go to.
    public var eventsExchange: String { "\(prefix).events" }
    /// The exchange dead letters go to.
    public var deadLetterExchange: String { "\(prefix).dlx" }
    /// A service's work queue.
    public func queue(_ service: String) -> String { "\(prefix).\(service)" }
    /// A service's queue for one priority lane (`normal` is the work queue itself).
    public func queue(_ service: String, lane: Priority) -> String {
        lane.routingSuffix.map { "\(queue(service)).\($0)" } ?? queue(service)
    }

    /// Whether a service binding `keys` has priority lanes: it handles stage work.
    public static func hasLanes(_ keys: [String]) -> Bool {
        keys.contains { MessageType(rawValue: $0)?.isLaneWork == true }
    }

    /// The lane a queue of `service` serves (`normal` for any other queue).
    public func lane(ofQueue name: String, service: String) -> Priority {
        Priority.allCases.first { $0 != .normal && queue(service, lane: $0) == name } ?? .normal
    }

    /// A stage worker's queue of operators' job controls.
    public func controlQueue(_ service: String) -> String { "\(prefix).\(service).control" }

    /// A service's dead-letter queue.
    public func deadLetterQueue(_ service: String) -> String { "\(prefix).\(service).dlq" }
    /// A service's delay queue for one retry delay.
    public func retryQueue(_ service: String, delayMilliseconds: Int) -> String {
        "\(prefix).\(service).retry.\(delayMilliseconds)ms"
    }

    /// Whether `queue` is one of the delay queues retries wait in.
    public func isRetryQueue(_ queue: String) -> Bool {
        queue.hasPrefix("\(prefix).") && queue.hasSuffix("ms") && queue.contains(".retry.")
    }

    /// The service whose DLQ `queue` is, if it is one.
    public func serviceOfDeadLetterQueue(_ queue: String) -> String? {
        guard queue.hasPrefix("\(prefix)."), queue.hasSuffix(".dlq") else { return nil }
        return String(queue.dropFirst(prefix.count + 1).dropLast(4))
    }

    /// Everything, with `policy`'s delay queues for every consuming service.
    public func all(policies: RetryPolicies = RetryPolicies()) -> Topology {
        var topology = Topology(exchanges: [
            .init(name: eventsExchange, type: "topic"),
            .init(name: deadLetterExchange, type: "direct"),
        ])
        for subscription in subscriptions {
            topology = topology.merged(with: self.service(subscription.service, keys: subscription.keys, policies: policies,
                                                          controlled: subscription.controlled))
        }
        return topology
    }

    /// One service's queues and bindings.
    public func service(_ service: String, keys: [String], policies: RetryPolicies, controlled: Bool = false) -> Topology {
        var topology = rawService(service, keys: keys, policies: policies, controlled: controlled)
        if let expiry = queueExpiryMilliseconds {
            for i in topology.queues.indices { topology.queues[i].arguments["x-expires"] = .int(Int64(expiry)) }
        }
        return topology
    }

    private func rawService(_ service: String, keys: [String], policies: RetryPolicies, controlled: Bool) -> Topology {
        var topology = Topology()
        var work: [String: HeaderValue] = [
            "x-dead-letter-exchange": .string(deadLetterExchange),
            "x-dead-letter-routing-key": .string(service),
        ]
        if queueType == .quorum { work["x-delivery-limit"] = .int(Int64(deliveryLimit * 2)) }
        topology.queues.append(.init(name: queue(service), arguments: typed(work)))
        topology.queues.append(.init(name: deadLetterQueue(service), arguments: typed([:], deadLetters: false)))
        topology.bindings.append(.init(queue: deadLetterQueue(service), exchange: deadLetterExchange, routingKey: service))
        for key in keys {
            topology.bindings.append(.init(queue: queue(service), exchange: eventsExchange, routingKey: key))
        }
        if controlled {
            topology.queues.append(.init(name: controlQueue(service), arguments: typed(work)))
            topology.bindings.append(.init(queue: controlQueue(service), exchange: eventsExchange,
                                           routingKey: MessageType.jobControl.rawValue))
        }
        if Self.hasLanes(keys) {
            for lane in Priority.allCases where lane != .normal {
                topology.queues.append(.init(name: queue(service, lane: lane), arguments: typed(work)))
                for key in keys where MessageType(rawValue: key)?.isLaneWork == true {
                    topology.bindings.append(.init(queue: queue(service, lane: lane), exchange: eventsExchange,
                                                   routingKey: MessageType(rawValue: key)!.routingKey(lane)))
                }
            }
        }
        for delay in policies.delayLevels {
            topology.queues.append(.init(name: retryQueue(service, delayMilliseconds: delay), arguments: typed([
                "x-message-ttl": .int(Int64(delay)),
                "x-dead-letter-exchange": .string(""),
                "x-dead-letter-routing-key": .string(queue(service)),
            ])))
        }
        return topology
    }

    /// Adds the queue-type arguments: for quorum queues, at-least-once dead-lettering (which
    /// requires `reject-publish` overflow) wherever the queue dead-letters.
    private func typed(_ arguments: [String: HeaderValue], deadLetters: Bool = true) -> [String: HeaderValue] {
        guard queueType == .quorum else { return arguments }
        var arguments = arguments
        arguments["x-queue-type"] = .string("quorum")
        if deadLetters {
            arguments["x-dead-letter-strategy"] = .string("at-least-once")
            arguments["x-overflow"] = .string("reject-publish")
        }
        return arguments
    }

    /// The queues `service` consumes: its own (with its lanes), and for a dead-letter
    /// consumer (the incident service) every consuming service's DLQ as well.
    public func consumedQueues(_ service: String) -> [String] {
        let subscription = subscriptions.first { $0.service == service }
        var queues = [queue(service)]
        if Self.hasLanes(subscription?.keys ?? []) {
            queues += [queue(service, lane: .urgent), queue(service, lane: .low)]
        }
        if subscription?.deadLetters == true {
            queues += consumingServices.map(deadLetterQueue)
        }
        return queues
    }
}
