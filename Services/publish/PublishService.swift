import Contracts
import Hosting
import Hummingbird
import Logging
import Runtime
import Toolkit

/// The publish service: collects transformed chunks, detects completion race-free, and
/// stores the job's artifacts (output CSV in input order, JSON summary).
public enum PublishService {
    /// The service as the rest of Sluice sees it (catalog, `sluice serve`, tests).
    public static let descriptor = ServiceDescriptor(
        name: "publish", defaultPort: 8084,
        summary: "Assembles the job's outputs, reports and statistics once every chunk is in.",
        spec: { try spec(config: $0) })

    /// The composition root: tables, handlers, routes and loops for `config`.
    public static func spec(config: RuntimeConfig) throws -> ServiceSpec {
        var spec = ServiceSpec()
        spec.migrations = PublishRepository.migrations
        let level = try config.values.int("publish.xlsx.deflate.level", 1)
        guard (0...9).contains(level) else {
            throw SluiceError.permanent("config.invalid-deflate-level",
                                        "publish.xlsx.deflate.level must be 0 (store) to 9 (smallest), got \(level)")
        }
        // Built with the runtime (the store is only known then); shared by the handlers.
        let token = config.values.string("http.internal.token", "")
        let boards = BoardHolder(xlsxLevel: Int32(level),
                                 metricsURL: config.values.string("metrics.url", "http://127.0.0.1:8086"),
                                 authorization: token.isEmpty ? nil : "Internal " + token)
        spec.handlers.on(JobIngested.self) { envelope, context in
            // An ingest-only (download-only) job ends at ingest.
            guard envelope.payload.job.effectiveOptions.effectiveStages != .ingestOnly else { return }
            let repository = PublishRepository(runtime: context.runtime, connection: context.connection)
            try await repository.recordJob(envelope.payload, at: envelope.occurredAt)
            try await Assembler.completeIfReady(jobId: envelope.payload.job.jobId, repository: repository,
                                                board: boards.board(context.runtime), context: context, cause: envelope)
        }
        spec.handlers.on(ChunkTransformed.self) { envelope, context in
            let repository = PublishRepository(runtime: context.runtime, connection: context.connection)
            try await repository.recordChunk(envelope.payload, at: envelope.occurredAt)
            let board = boards.board(context.runtime)
            let definitions = await board.metrics.selecting(envelope.payload.job, project: envelope.project)
            await board.offer(ChunkEntry(envelope.payload, at: envelope.occurredAt), job: envelope.payload.job,
                              spool: context.runtime.objects.spoolDirectory, definitions: definitions)
            try await Assembler.completeIfReady(jobId: envelope.payload.job.jobId, repository: repository,
                                                board: board, context: context, cause: envelope)
        }
        spec.handlers.on(JobRepublish.self) { envelope, context in
            let request = envelope.payload
            let repository = PublishRepository(runtime: context.runtime, connection: context.connection)
            guard var published = try await repository.outcome(jobId: request.jobId) else {
                throw SluiceError.permanent("publish.not-published",
                    "job \(request.jobId) has no published results to publish again; run it (or an analysis-only re-run) first")
            }
            published.requestId = request.requestId
            // A new id per request, so notify (which drops ids it has seen) delivers again.
            try context.emit(Envelope(id: "\(MessageID.job(request.jobId, .jobPublished))/\(request.requestId)",
                                      causedBy: envelope, jobId: request.jobId, payload: published))
        }
        spec.routes = { router, runtime in ArtifactRoutes.add(to: router, runtime: runtime) }
        let artifactDays = try config.values.int("retention.artifacts.days", 90)
        spec.handlers.on(CleanupRequested.self) { envelope, context in
            let cleared = try await ArtifactRetention(runtime: context.runtime, days: artifactDays).purge()
            context.logger.info("cleanup: artifacts of old jobs removed", metadata: [
                "jobs": "\(cleared)", "older_than_days": "\(artifactDays)", "by": "\(envelope.payload.requestedBy)"])
        }
        spec.loops.append { runtime in SpoolSweeper.loop(runtime: runtime, board: boards.board(runtime)) }
        spec.loops.append { runtime in boards.board(runtime).metrics.loop() }
        return spec
    }
}

/// The service's one ``AssemblyBoard``, made on first use from the running service's runtime.
final class BoardHolder: Sendable {
    private let made = LockedValue<AssemblyBoard?>(nil)
    private let xlsxLevel: Int32
    private let metricsURL: String
    private let authorization: String?

    init(xlsxLevel: Int32, metricsURL: String, authorization: String?) {
        self.xlsxLevel = xlsxLevel
        self.metricsURL = metricsURL
        self.authorization = authorization
    }

    func board(_ runtime: RuntimeContext) -> AssemblyBoard {
        made.update { board in
            if let board { return board }
            let created = AssemblyBoard(chunks: runtime.chunks, logger: runtime.logger, xlsxLevel: xlsxLevel,
                                        metrics: MetricDefinitionCache(url: metricsURL, authorization: authorization,
                                                                       logger: runtime.logger))
            board = created
            return created
        }
    }
}
