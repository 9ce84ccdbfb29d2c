/// Errors from a transport (the AMQP client or the in-memory broker), each with a stable
/// code. The codes keep their historical `amqp.` prefix: dead letters and dashboards in the
/// field already carry them.
public enum TransportError: Error, Sendable, CustomStringConvertible {
    /// The broker could not be reached or the handshake failed.
    case connectFailed(String)
    /// The connection dropped while the operation was in flight; it may be retried.
    case connectionLost(String)
    /// The broker refused an operation (channel or connection closed with a reply code).
    case brokerRefused(code: Int, text: String)
    /// Some messages of a batch were not confirmed: nacked or returned as unroutable.
    case publishFailed([PublishFailure])
    /// The publisher or consumer was closed.
    case closed
    /// A configuration value is unusable.
    case invalidConfiguration(String)
    /// The broker did not answer in time (a confirm, a settle): the outcome is unknown, so
    /// the caller retries (ids are deterministic, so a late duplicate is dropped downstream).
    case timedOut(String)

    /// Stable error code.
    public var code: String {
        switch self {
        case .connectFailed: "amqp.connect-failed"
        case .connectionLost: "amqp.connection-lost"
        case .brokerRefused: "amqp.broker-refused"
        case .publishFailed: "amqp.publish-failed"
        case .closed: "amqp.closed"
        case .invalidConfiguration: "amqp.invalid-configuration"
        case .timedOut: "amqp.timeout"
        }
    }

    public var description: String {
        switch self {
        case .connectFailed(let s): "[\(code)] cannot connect to the broker: \(s)"
        case .connectionLost(let s): "[\(code)] broker connection lost: \(s)"
        case .brokerRefused(let c, let t): "[\(code)] broker refused (\(c)): \(t)"
        case .publishFailed(let f):
            "[\(code)] \(f.count) message(s) not confirmed: " + f.prefix(3).map(\.description).joined(separator: "; ")
        case .closed: "[\(code)] the AMQP client is closed"
        case .invalidConfiguration(let s): "[\(code)] \(s)"
        case .timedOut(let s): "[\(code)] no answer from the broker in time: \(s)"
        }
    }
}

/// Why one message of a batch was not confirmed.
public struct PublishFailure: Sendable, CustomStringConvertible {
    /// Position in the batch.
    public var index: Int
    /// The message's `message_id`, if it had one.
    public var messageId: String?
    /// What happened.
    public var reason: Reason

    /// The failure kinds.
    public enum Reason: Sendable {
        /// The broker nacked the message (it could not take responsibility for it).
        case nacked
        /// No queue was bound for the routing key (basic.return of a mandatory message).
        case unroutable(replyCode: Int, replyText: String, exchange: String, routingKey: String)
    }

    public var description: String {
        switch reason {
        case .nacked: "message \(messageId ?? "#\(index)") was nacked by the broker"
        case .unroutable(let code, let text, let exchange, let key):
            "message \(messageId ?? "#\(index)") is unroutable (\(code) \(text)) on exchange '\(exchange)' key '\(key)'"
        }
    }
}
