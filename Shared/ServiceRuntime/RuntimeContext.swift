import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import Storage

/// What a running service has: its database, its publisher, its broker names and metrics.
/// Handlers, HTTP routes and background loops all receive this one value.
public struct RuntimeContext: Sendable {
    /// The service name (`ingest`, …).
    public let service: String
    /// The service's database (its own schema).
    public let database: Database
    /// The confirming publisher.
    public let publisher: any MessagePublisher
    /// Broker names.
    public let topology: SluiceTopology
    /// Prometheus metrics.
    public let metrics: MetricsRegistry
    /// The service logger.
    public let logger: Logger
    /// The raw configuration, for service-specific settings.
    public let values: ConfigValues
    let gate: StartupGate

    init(service: String, database: Database, publisher: any MessagePublisher, topology: SluiceTopology,
         metrics: MetricsRegistry, logger: Logger, values: ConfigValues, gate: StartupGate) {
        self.gate = gate
        self.service = service
        self.database = database
        self.publisher = publisher
        self.topology = topology
        self.metrics = metrics
        self.logger = logger
        self.values = values
    }

    /// The same runtime logging with `logger` (which carries a message's ids).
    func with(logger: Logger) -> RuntimeContext {
        RuntimeContext(service: service, database: database, publisher: publisher, topology: topology, metrics: metrics,
                       logger: logger, values: values, gate: gate)
    }

    /// Waits until the service's migrations are applied (background loops call this first).
    public func waitUntilReady() async throws { try await gate.wait() }

    /// Publishes envelopes directly (with confirms), outside any transaction. Only for
    /// messages that are safely re-derivable: deterministic ids, re-published on redelivery.
    public func publish<P: MessagePayload>(_ envelopes: [Envelope<P>], traceparent: String? = nil) async throws {
        let messages = try envelopes.map { try OutgoingMessage.event($0, topology: topology, traceparent: traceparent) }
        try await publisher.publish(messages)
        metrics.increment("sluice_messages_published_total", ["service": service, "type": P.messageType.rawValue],
                          by: Double(messages.count))
    }

    /// Stores envelopes in the outbox in the caller's transaction; the relay sends them.
    public func enqueue<P: MessagePayload>(_ envelopes: [Envelope<P>], on connection: PostgresConnection) async throws {
        let messages = try envelopes.map { try OutgoingMessage.event($0, topology: topology) }
        _ = try await Outbox.enqueue(messages, on: connection, logger: logger)
    }
}

/// Collects the messages a transaction causes; they are written to the outbox in that
/// transaction and published (with confirms) after it commits.
public struct Emitter: Sendable {
    let outputs: OutputCollector
    let topology: SluiceTopology
    let traceparent: String?

    /// Emits `envelope` as an event.
    public func emit<P: MessagePayload>(_ envelope: Envelope<P>) throws {
        outputs.append(try OutgoingMessage.event(envelope, topology: topology,
                                                 traceparent: TraceParent.child(of: traceparent)))
    }
}

extension RuntimeContext {
    /// Runs `body` in a transaction whose emitted messages go through the outbox: stored in
    /// the same commit, then published with confirms and marked sent. If the process dies
    /// after the commit, the outbox relay publishes them.
    public func transaction<T: Sendable>(traceparent: String? = nil,
        _ body: @escaping @Sendable (PostgresConnection, Emitter) async throws -> T) async throws -> T {
        let outputs = OutputCollector()
        let emitter = Emitter(outputs: outputs, topology: topology, traceparent: traceparent)
        let logger = self.logger
        let (result, rows): (T, [Int64]) = try await database.transaction { connection in
            let result = try await body(connection, emitter)
            return (result, try await Outbox.enqueue(outputs.messages, on: connection, logger: logger))
        }
        guard !rows.isEmpty else { return result }
        let messages = outputs.messages
        do {
            try await publisher.publish(messages)
            for message in messages {
                metrics.increment("sluice_messages_published_total", ["service": service, "type": message.routingKey])
            }
            try await Outbox.markSent(rows, database: database, logger: logger)
        } catch {
            // Committed: the rows are durable and the relay publishes them. The caused messages
            // are not lost, so the effect is not a failure (and must not be retried or filed).
            logger.warning("publish after commit failed; the outbox relay will send it",
                           metadata: ["error": "\(error)", "messages": "\(messages.count)"])
        }
        return result
    }
}

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

    /// Emits a message (outbox in this transaction, published after the commit).
    public func emit<P: MessagePayload>(_ envelope: Envelope<P>) throws { try emitter.emit(envelope) }
}

/// Collects outgoing messages (a handler may emit from concurrent child tasks).
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [OutgoingMessage] = []

    func append(_ message: OutgoingMessage) { lock.withLock { items.append(message) } }
    var messages: [OutgoingMessage] { lock.withLock { items } }
}
