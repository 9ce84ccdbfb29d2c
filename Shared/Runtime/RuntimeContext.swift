import Chunks
import Contracts
import Foundation
import Logging
import Messaging
import ObjectStorage
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
    /// Where chunks and artifacts are stored.
    public let objects: any ObjectStore
    /// Operators' pauses and cancellations as this replica knows them (stage work checks it).
    public let controls: JobControlBoard
    package let gate: StartupGate
    /// Outbox rows to mark sent, gathered across transactions.
    let sentMarks: SentMarks
    /// The largest chunk carried in its message rather than stored (`chunks.inline.bytes`).
    public let chunkInlineLimit: Int

    package init(service: String, database: Database, publisher: any MessagePublisher, topology: SluiceTopology,
         metrics: MetricsRegistry, logger: Logger, values: ConfigValues, objects: any ObjectStore, gate: StartupGate,
         controls: JobControlBoard = JobControlBoard(), sentMarks: SentMarks = SentMarks(), chunkInlineLimit: Int = 0) {
        self.sentMarks = sentMarks
        self.chunkInlineLimit = chunkInlineLimit
        self.gate = gate
        self.controls = controls
        self.objects = objects
        self.service = service
        self.database = database
        self.publisher = publisher
        self.topology = topology
        self.metrics = metrics
        self.logger = logger
        self.values = values
    }

    /// The same runtime logging with `logger` (which carries a message's ids).
    package func with(logger: Logger) -> RuntimeContext {
        RuntimeContext(service: service, database: database, publisher: publisher, topology: topology, metrics: metrics,
                       logger: logger, values: values, objects: objects, gate: gate, controls: controls,
                       sentMarks: sentMarks, chunkInlineLimit: chunkInlineLimit)
    }

    /// The chunk store (claim checks) over ``objects``.
    public var chunks: ChunkStore { ChunkStore(objects: objects, inlineLimit: chunkInlineLimit) }

    /// Waits until the service's migrations are applied (background loops call this first).
    public func waitUntilReady() async throws { try await gate.wait() }

    /// Publishes envelopes directly (with confirms), outside any transaction. Only for
    /// messages that are safely re-derivable: deterministic ids, re-published on redelivery.
    public func publish<P: MessagePayload>(_ envelopes: [Envelope<P>], traceparent: String? = nil) async throws {
        let messages = try envelopes.map {
            try OutgoingMessage.event($0.from(service), topology: topology, traceparent: traceparent)
        }
        try await publisher.publish(messages)
        metrics.increment("sluice_messages_published_total", ["service": service, "type": P.messageType.rawValue],
                          by: Double(messages.count))
    }

    /// Publishes a `job.status` note for the job's history, best effort: a note never stops or
    /// undoes the work it describes, so a failure to send it is only logged.
    public func note<C: MessagePayload>(_ status: JobStatusChanged, id: String, causedBy cause: Envelope<C>,
                                        traceparent: String? = nil) async {
        do {
            try await publish([Envelope(id: id, causedBy: cause, jobId: status.jobId, payload: status)], traceparent: traceparent)
        } catch {
            logger.warning("job.status not published", metadata: ["job_id": "\(status.jobId)", "error": "\(error)"])
        }
    }

    /// Stores envelopes in the outbox in the caller's transaction; the relay sends them.
    public func enqueue<P: MessagePayload>(_ envelopes: [Envelope<P>], on connection: PostgresConnection) async throws {
        let messages = try envelopes.map { try OutgoingMessage.event($0.from(service), topology: topology) }
        _ = try await Outbox.enqueue(messages, on: connection, logger: logger)
    }
}
