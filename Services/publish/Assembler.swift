import Chunks
import Contracts
import Foundation
import Runtime
import Tabular
import Validation

/// Builds a job's artifacts once all its chunks are in, streaming the chunks in source order:
/// job-wide keys and dedupe are enforced, the dataset outputs are written part by part, and
/// the reports (summary, validation, PDF, results) follow. The invalid-rows policy then
/// decides between `job.published` and `job.failed`; a job that cannot be published for a
/// reason retrying cannot fix (e.g. an aggregate naming an unknown column) fails with it.
enum Assembler {
    static func completeIfReady<Cause>(jobId: String, repository: PublishRepository, board: AssemblyBoard,
                                       context: HandlerContext, cause: Envelope<Cause>) async throws {
        guard let ready = try await repository.lockIfComplete(jobId: jobId) else { return }
        do {
            try await assemble(ready, repository: repository, board: board, context: context, cause: cause)
        } catch let error as SluiceError where error.disposition == .permanent && !Self.isStoreFault(error) {
            try await repository.markPublished(jobId: jobId, outcome: nil, state: "failed")
            try context.emit(Envelope(id: MessageID.job(jobId, .jobFailed), causedBy: cause,
                                      payload: JobFailed(job: ready.job, stage: "publish", code: error.code,
                                                         reason: error.message)))
        }
    }

    /// A chunk or object that is missing, damaged or refused is not the job's fault: the
    /// message is dead-lettered (one incident naming the key) and a re-drive finishes the
    /// job once the object is back, instead of failing it for good.
    static func isStoreFault(_ error: SluiceError) -> Bool {
        error.code.hasPrefix("chunk.") || error.code.hasPrefix("store.")
    }

    private static func assemble<Cause>(_ ready: ReadyJob, repository: PublishRepository, board: AssemblyBoard,
                                        context: HandlerContext, cause: Envelope<Cause>) async throws {
        let job = ready.job
        let jobId = job.jobId
        let options = job.effectiveOptions
        let outputs = options.effectiveOutputs
        let dryRun = options.dryRun == true
        let objects = context.runtime.objects
        // The pass this replica ran ahead while chunks arrived, or a fresh one: the same outputs.
        let entries = try await repository.chunkEntries(jobId: jobId, count: ready.chunks)
        var pass: Pass
        if let claimed = await board.claim(jobId) {
            pass = claimed
        } else {
            pass = Pass(job: job, columns: ready.columns, expectedRows: ready.rows, spool: objects.spoolDirectory,
                        xlsxLevel: board.xlsxLevel, definitions: await board.metrics.selecting(job, project: cause.project))
        }
        var finished = false
        defer { if !finished { pass.discard() } }
        for entry in entries[pass.nextChunk...] {
            try await pass.add(try await entry.load(from: context.runtime.chunks))
        }
        try pass.finishRecords()

        let share = ready.rows == 0 ? 0 : Double(pass.tally.invalid) / Double(ready.rows)
        let policy = options.invalidRows
        let failed = policy?.action == .fail && share > (policy?.maxInvalidShare ?? 0)
        let status = failed ? "failed" : dryRun ? "dry-run" : "published"
        let reports = pass.reports(ready: ready, status: status)
        var pending = try await pass.finishDataset(with: reports)
        finished = true
        do {
            pending += try reports.artifacts(outputs: outputs)
            if failed {
                // A failed job keeps its reports (they explain the failure) but publishes no dataset.
                let dataset = pending.filter { $0.name.hasPrefix("output.") }
                dataset.forEach { $0.discard() }
                pending.removeAll { $0.name.hasPrefix("output.") }
                try await repository.removeArtifacts(jobId: jobId, names: dataset.map(\.name))
            }
            if outputs.contains(.results) {
                pending.append(try reports.results(artifacts: pending.map(\.name) + ["results.json"]))
            }
        } catch {
            pending.forEach { $0.discard() }
            throw error
        }
        let artifacts = try await ArtifactBatch.store(pending, jobId: jobId, objects: objects, connection: context.connection,
                                                      logger: context.logger)
        if failed {
            let reason = "\(pass.tally.invalid) of \(ready.rows) rows are invalid (\(Reports.percent(share))), more than the "
                + "job's limit of \(Reports.percent(policy?.maxInvalidShare ?? 0)); see validation.csv for every problem, "
                + "fix the input and submit again"
            try await repository.markPublished(jobId: jobId, outcome: nil, state: "failed")
            try context.emit(Envelope(id: MessageID.job(jobId, .jobFailed), causedBy: cause,
                                      payload: JobFailed(job: job, stage: "publish", code: "publish.too-many-invalid",
                                                         reason: reason)))
            return
        }
        let published = JobPublished(job: job, artifacts: artifacts.sorted { $0.name < $1.name }, rowsTotal: ready.rows,
                                     rowsValid: pass.tally.valid, rowsInvalid: pass.tally.invalid)
        try await repository.markPublished(jobId: jobId, outcome: published)
        let announcement = Envelope(id: MessageID.job(jobId, .jobPublished), causedBy: cause, payload: published)
        try context.emit(announcement)
        // The job's partial aggregates for the calculated metrics that select it, dated like its
        // job.published so both count in the same period.
        if !dryRun, !pass.definitions.isEmpty {
            try context.emit(Envelope(id: "\(jobId)/metric.partials", causedBy: cause, payload: MetricPartialsReady(
                jobId: jobId, project: cause.project, tags: job.tags, datasetKey: options.datasetKey,
                publishedAt: announcement.occurredAt, partials: pass.metricPartials)))
        }
        context.logger.info("job published", metadata: ["job_id": "\(jobId)", "rows": "\(pass.tally.valid)",
                                                        "dry_run": "\(dryRun)"])
    }
}
