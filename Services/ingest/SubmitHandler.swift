import Contracts
import Foundation
import Logging
import ServiceRuntime
import Tabular

/// Handles `job.submit`. Chunks are large and fully determined by the source, so they are
/// published directly with deterministic ids rather than through the outbox: after a crash
/// the redelivered submission re-reads the source and re-publishes the same ids, which
/// downstream inboxes drop. The job record, the inbox entry and `job.ingested` commit
/// together at the end.
struct SubmitHandler: Sendable {
    let settings: IngestSettings

    func handle(_ submission: Envelope<JobSubmit>, runtime: RuntimeContext, traceparent: String?) async throws {
        let repository = IngestRepository(runtime: runtime)
        if try await repository.alreadyHandled(submission.id) { return }
        let request = submission.payload
        let jobId = request.jobId ?? "job-" + MessageID.hash(request.idempotencyKey ?? submission.id)
        let key = request.idempotencyKey ?? jobId
        let name = request.name ?? request.source.path.map { ($0 as NSString).lastPathComponent } ?? "inline"
        let job = JobContext(jobId: jobId, name: name, tags: request.tags ?? [:], schema: request.schema,
                             notify: request.notify)
        let registered = try await repository.register(jobId: jobId, key: key, submissionId: submission.id, name: name,
                                                       sourceKind: request.source.kind.rawValue,
                                                       sourceRef: request.source.path)
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
        do {
            let chunkSize = try chunkSize(request)
            if let format = request.format, format.lowercased() != "csv" {
                throw SluiceError.permanent("ingest.unsupported-format", "format '\(format)' is not supported yet; use csv")
            }
            var source = try SourceReader(request.source, settings: settings)
            defer { source.close() }
            var chunker = Chunker(job: job, submission: submission, chunkSize: chunkSize, batch: settings.publishBatch)
            while let block = try source.next() {
                try await chunker.feed(block, runtime: runtime, traceparent: traceparent)
            }
            let totals = try await chunker.finish(runtime: runtime, traceparent: traceparent)
            try await repository.finish(job, chunks: totals.chunks, rows: totals.rows, columns: totals.columns,
                                        submission: submission, traceparent: traceparent)
            runtime.logger.info("job ingested", metadata: [
                "job_id": "\(jobId)", "chunks": "\(totals.chunks)", "rows": "\(totals.rows)"])
        } catch let error as SluiceError where error.disposition == .permanent {
            runtime.logger.warning("job failed at ingest", metadata: ["job_id": "\(jobId)", "error": "\(error)"])
            try await repository.fail(job, error: error, submission: submission, traceparent: traceparent)
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
