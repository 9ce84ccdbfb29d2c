/// Broker objects to declare. Declaring is idempotent: each process declares the whole
/// topology on every (re)connect, so start order never matters.
public struct Topology: Sendable, Hashable {
    /// An exchange.
    public struct Exchange: Sendable, Hashable {
        /// Name.
        public var name: String
        /// `topic`, `direct`, `fanout` or `headers`.
        public var type: String
        /// Creates an exchange spec (durable, not auto-deleted).
        public init(name: String, type: String) { self.name = name; self.type = type }
    }

    /// A durable queue with its arguments (`x-dead-letter-exchange`, `x-message-ttl`, …).
    public struct Queue: Sendable, Hashable {
        /// Name.
        public var name: String
        /// Declaration arguments.
        public var arguments: [String: HeaderValue]
        /// Creates a queue spec.
        public init(name: String, arguments: [String: HeaderValue] = [:]) { self.name = name; self.arguments = arguments }
    }

    /// A binding of a queue to an exchange by routing key pattern.
    public struct Binding: Sendable, Hashable {
        /// Queue name.
        public var queue: String
        /// Exchange name.
        public var exchange: String
        /// Routing key or topic pattern.
        public var routingKey: String
        /// Creates a binding.
        public init(queue: String, exchange: String, routingKey: String) {
            self.queue = queue; self.exchange = exchange; self.routingKey = routingKey
        }
    }

    /// Exchanges to declare.
    public var exchanges: [Exchange]
    /// Queues to declare.
    public var queues: [Queue]
    /// Bindings to declare.
    public var bindings: [Binding]

    /// Creates a topology.
    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    /// Both topologies together.
    public func merged(with other: Topology) -> Topology {
        Topology(exchanges: exchanges + other.exchanges.filter { !exchanges.contains($0) },
                 queues: queues + other.queues.filter { !queues.contains($0) },
                 bindings: bindings + other.bindings.filter { !bindings.contains($0) })
    }
}
