import Contracts
import Logging
import PostgresNIO

/// Context for a transactional handler: the open transaction (with the inbox record already
/// written) and the emitter for the messages the effect causes.
public struct HandlerContext: Sendable {
    /// The connection inside the handler's transaction.
    public let connection: PostgresConnection
    /// The runtime.
    public let runtime: RuntimeContext
    /// A logger carrying the message's job, message and correlation ids.
    public let logger: Logger
    /// Where caused messages go.
    public let emitter: Emitter

    package init(connection: PostgresConnection, runtime: RuntimeContext, logger: Logger, emitter: Emitter) {
        self.connection = connection
        self.runtime = runtime
        self.logger = logger
        self.emitter = emitter
    }

    /// Emits a message (outbox in this transaction, published after the commit).
    public func emit<P: MessagePayload>(_ envelope: Envelope<P>) throws { try emitter.emit(envelope) }
}
