import Logging

/// The production transport: RabbitMQ through rabbitmq-c, one connection per publisher or
/// consumer, each owned by its own thread.
public struct AMQPTransport: MessageTransport {
    /// Where the broker is and how to reach it.
    public var config: AMQPConfig
    /// How long a publish waits for its confirms, and a settle for its frames.
    public var timeouts: AMQPTimeouts

    /// A transport for the broker at `config`.
    public init(config: AMQPConfig, timeouts: AMQPTimeouts = AMQPTimeouts()) {
        self.config = config
        self.timeouts = timeouts
    }

    /// A publisher on this transport (see ``MessageTransport``).
    public func makePublisher(name: String, topology: Topology, logger: Logger) -> any MessagePublisher {
        var config = self.config
        config.connectionName = name
        return AMQPPublisher(config: config, topology: topology, timeouts: timeouts, logger: logger)
    }

    /// A consumer on this transport (see ``MessageTransport``).
    public func makeConsumer(name: String, topology: Topology, prefetch: Int, logger: Logger) -> any MessageConsumer {
        var config = self.config
        config.connectionName = name
        return AMQPConsumer(config: config, topology: topology, prefetch: prefetch, timeouts: timeouts, logger: logger)
    }
}

/// Bounds on waits that depend on the broker. A wait past its bound fails with
/// ``TransportError/timedOut(_:)``, which callers treat as transient.
public struct AMQPTimeouts: Sendable, Hashable {
    /// From handing a batch to the connection until its last confirm (reconnects included).
    public var publish: Duration
    /// From handing settlements to the connection until they are written.
    public var settle: Duration

    /// The defaults: 120 s to confirm a batch, 30 s to write acks.
    public init(publish: Duration = .seconds(120), settle: Duration = .seconds(30)) {
        self.publish = publish
        self.settle = settle
    }
}
