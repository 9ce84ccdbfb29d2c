import Contracts
import Foundation
import Logging
import Plans
import Runtime
import Tabular

/// Handles `job.submit`. Chunks are large and fully determined by the stored input, so they
/// are published directly with deterministic ids rather than through the outbox: after a
/// crash the redelivered submission re-reads the input and re-publishes the same ids, which
/// downstream inboxes drop. The job record, the inbox entry and the job's outcome event
/// (`job.ingested`, `job.skipped`, `job.republish` or `job.failed`) commit together at the end.
struct SubmitHandler: Sendable {
    let settings: IngestSettings

    func handle(_ submission: Envelope<JobSubmit>, runtime: RuntimeContext, traceparent: String?) async throws {
        let repository = IngestRepository(runtime: runtime)
        if try await repository.alreadyHandled(submission.id) { return }
        let request = submission.payload
        let jobId = request.jobId ?? "job-" + MessageID.hash(request.idempotencyKey ?? submission.id)
        let key = request.idempotencyKey ?? jobId
        let name = request.name ?? request.source.path.map { ($0 as NSString).lastPathComponent }
            ?? request.source.url.flatMap { URL(string: $0)?.host } ?? request.source.kind.rawValue
        var job = JobContext(jobId: jobId, name: name, tags: request.tags ?? [:], schema: request.schema,
                             schemaName: request.schemaName, plan: request.plan, planName: request.planName, notify: request.notify,
                             options: request.options, submittedAt: submission.occurredAt)
        let registered = try await repository.register(jobId: jobId, key: key, submissionId: submission.id, name: name,
                                                       sourceKind: request.source.kind.rawValue,
                                                       sourceRef: request.source.path ?? request.source.url
                                                           ?? request.source.uploadId ?? request.source.jobId,
                                                       tags: job.tags, request: request)
        // Only the submission that created the job (or its redelivery after a crash) ingests
        // it; another submission with the same key, even while the first is still running,
        // changes nothing.
        guard registered.jobId == jobId, registered.state == "ingesting",
              registered.submissionId == nil || registered.submissionId == submission.id else {
            runtime.logger.info("duplicate submission ignored",
                                metadata: ["job_id": "\(registered.jobId)", "idempotency_key": "\(key)"])
            try await repository.finishDuplicate(submission)
            return
        }
        let outcome = JobOutcome(repository: repository, submission: submission, traceparent: traceparent)
        do {
            try check(request)
            let stages = job.effectiveOptions.effectiveStages
            if stages == .publishOnly {
                try await outcome.republish(job, of: request.source.jobId ?? "")
                return
            }
            let input = try await SourceAcquirer(settings: settings, store: InputStore(runtime: runtime))
                .acquire(request.source)
            if request.name == nil, let filename = input.filename, [.upload, .url].contains(request.source.kind) {
                job.name = filename
            }
            try await repository.attach(input: input, jobId: jobId, name: job.name, datasetKey: job.effectiveOptions.datasetKey)
            // Re-analysing a stored input is a deliberate re-run, never "unchanged".
            if let datasetKey = job.effectiveOptions.datasetKey, job.effectiveOptions.force != true, stages != .analysisOnly,
               let previous = try await repository.unchanged(datasetKey: datasetKey, sha256: input.sha256, jobId: jobId) {
                try await outcome.skip(job, datasetKey: datasetKey, sha256: input.sha256, previousJobId: previous)
                runtime.logger.info("unchanged input skipped", metadata: ["job_id": "\(jobId)", "dataset": "\(datasetKey)"])
                return
            }
            let parsed = try await InputParser(settings: settings, store: InputStore(runtime: runtime))
                .prepare(input, request: request)
            job.warnings = parsed.warnings.isEmpty ? nil : parsed.warnings
            if stages == .ingestOnly {
                try await outcome.finish(job, chunks: 0, rows: 0, columns: [], source: parsed.info, state: "stored")
                return
            }
            var chunker = Chunker(job: job, submission: submission, chunkSize: try chunkSize(request), maxBytes: settings.maxChunkBytes,
                                  batch: settings.publishBatch, standardizer: RowStandardizer(request.options?.standardize),
                                  limits: settings.limits)
            if let plan = request.plan {
                chunker.checkHeader = { columns in
                    do { _ = try plan.compiled(columns: columns) } catch let error as PlanError {
                        throw SluiceError.permanent(error.code.rawValue, "the job's plan is invalid: \(error.message)")
                    }
                }
            }
            try await parsed.read { rows in try await chunker.take(rows, runtime: runtime, traceparent: traceparent) }
            let totals = try await chunker.finish(runtime: runtime, traceparent: traceparent)
            try await outcome.finish(job, chunks: totals.chunks, rows: totals.rows, columns: totals.columns,
                                     source: parsed.info, state: "ingested")
            runtime.logger.info("job ingested", metadata: [
                "job_id": "\(jobId)", "chunks": "\(totals.chunks)", "rows": "\(totals.rows)"])
        } catch let error as SluiceError where error.disposition == .permanent {
            runtime.logger.warning("job failed at ingest", metadata: ["job_id": "\(jobId)", "error": "\(error)"])
            try await outcome.fail(job, error: error)
        }
    }

    /// Request-level checks that need no I/O.
    private func check(_ request: JobSubmit) throws {
        _ = try chunkSize(request)
        let stages = request.options?.effectiveStages ?? .all
        if (stages == .analysisOnly || stages == .publishOnly), request.source.kind != .job {
            throw SluiceError.permanent("ingest.stage-needs-job-source",
                "stages '\(stages.rawValue)' works on an earlier job: give source {\"kind\": \"job\", \"jobId\": …}")
        }
        if let share = request.options?.invalidRows?.maxInvalidShare, !(0...1).contains(share) {
            throw SluiceError.permanent("ingest.invalid-policy", "invalidRows.maxInvalidShare must be between 0 and 1, got \(share)")
        }
    }

    private func chunkSize(_ request: JobSubmit) throws -> Int {
        let size = request.chunkSize ?? settings.defaultChunkSize
        guard (1...settings.maxChunkSize).contains(size) else {
            throw SluiceError.permanent("ingest.invalid-chunk-size",
                                        "chunkSize must be between 1 and \(settings.maxChunkSize), got \(size)")
        }
        return size
    }
}
