import Contracts
import Messaging

/// Bounds on everything a service waits for, read from configuration once at start. A wait
/// on another process that passes its bound becomes a transient failure (retried); the
/// shutdown deadline and the stall alarm keep a stuck process visible and killable.
public struct RuntimeTimeouts: Sendable, Hashable {
    /// Publish confirms and settle frames (`amqp.timeout.publish.ms`, `amqp.timeout.settle.ms`).
    public var amqp: AMQPTimeouts
    /// One handler run, all awaits included (`consumer.handler.timeout.ms`): the last net
    /// under the per-call bounds, so a delivery is never held forever.
    public var handler: Duration
    /// How long a graceful shutdown may take (`shutdown.timeout.ms`); after it, deliveries
    /// still in flight are left unacked (the broker redelivers them) and the process exits.
    public var shutdown: Duration
    /// No settled delivery for this long while deliveries wait is logged at error level
    /// (`consumer.stall.ms`).
    public var stall: Duration

    /// The defaults: confirms 120 s, settles 30 s, handlers 600 s, shutdown 30 s, stall 60 s.
    public init(amqp: AMQPTimeouts = AMQPTimeouts(), handler: Duration = .seconds(600),
                shutdown: Duration = .seconds(30), stall: Duration = .seconds(60)) {
        self.amqp = amqp
        self.handler = handler
        self.shutdown = shutdown
        self.stall = stall
    }

    /// Reads the `*.timeout.*` and `consumer.stall.ms` settings; each must be positive.
    public init(values: ConfigValues) throws {
        let defaults = RuntimeTimeouts()
        func read(_ key: String, _ fallback: Duration) throws -> Duration {
            let ms = try values.int(key, Int(fallback.components.seconds) * 1000)
            guard ms > 0 else { throw SluiceError.permanent("config.invalid-timeout", "\(key) must be positive, got \(ms)") }
            return .milliseconds(ms)
        }
        self.init(amqp: AMQPTimeouts(publish: try read("amqp.timeout.publish.ms", defaults.amqp.publish),
                                     settle: try read("amqp.timeout.settle.ms", defaults.amqp.settle)),
                  handler: try read("consumer.handler.timeout.ms", defaults.handler),
                  shutdown: try read("shutdown.timeout.ms", defaults.shutdown),
                  stall: try read("consumer.stall.ms", defaults.stall))
    }
}
