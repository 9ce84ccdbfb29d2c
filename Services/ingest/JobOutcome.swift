import Contracts
import Foundation
import PostgresNIO
import Runtime
import Storage

/// The end of a submission: the job's final state, its outcome event and the inbox entry
/// commit in one transaction, so a crash before it means a redelivery that does it all again.
struct JobOutcome {
    let repository: IngestRepository
    let submission: Envelope<JobSubmit>
    let traceparent: String?
    var runtime: RuntimeContext { repository.runtime }

    /// `job.ingested`; `state` is `ingested`, or `stored` for an ingest-only job.
    func finish(_ job: JobContext, chunks: Int, rows: Int, columns: [String], source: SourceInfo,
                state: String) async throws {
        let columnsJSON = String(decoding: try JSONCoding.encode(columns), as: UTF8.self)
        try await complete(job, emitting: Envelope(id: MessageID.job(job.jobId, .jobIngested), causedBy: submission,
                                                   jobId: job.jobId,
                                                   payload: JobIngested(job: job, chunkCount: chunks, rowCount: rows,
                                                                        columns: columns, source: source))) { connection in
            try await connection.query("""
                UPDATE jobs SET state = \(state), chunk_count = \(chunks), row_count = \(rows),
                    columns = \(columnsJSON)::jsonb, finished_at = now()
                WHERE job_id = \(job.jobId) AND state = 'ingesting'
                """, logger: runtime.logger)
            // A dry run is a test: it must not make the real run look unchanged.
            if let key = job.effectiveOptions.datasetKey, job.effectiveOptions.dryRun != true {
                try await connection.query("""
                    INSERT INTO datasets (dataset_key, sha256, job_id, recipe)
                    VALUES (\(key), \(source.sha256), \(job.jobId), \(ProcessingRecipe.digest(job)))
                    ON CONFLICT (dataset_key) DO UPDATE SET sha256 = EXCLUDED.sha256, job_id = EXCLUDED.job_id,
                        recipe = EXCLUDED.recipe, updated_at = now()
                    """, logger: runtime.logger)
            }
        }
    }

    /// `job.skipped`: the dataset's input did not change.
    func skip(_ job: JobContext, datasetKey: String, sha256: String, previousJobId: String) async throws {
        try await complete(job, emitting: Envelope(id: MessageID.job(job.jobId, .jobSkipped), causedBy: submission,
                                                   jobId: job.jobId,
                                                   payload: JobSkipped(job: job, datasetKey: datasetKey, sha256: sha256,
                                                                       previousJobId: previousJobId))) { connection in
            try await connection.query("""
                UPDATE jobs SET state = 'skipped', finished_at = now() WHERE job_id = \(job.jobId) AND state = 'ingesting'
                """, logger: runtime.logger)
        }
    }

    /// `job.republish` for an earlier job (publish-only).
    func republish(_ job: JobContext, of earlier: String) async throws {
        guard try await repository.find(jobId: earlier) != nil else {
            throw SluiceError.permanent("ingest.job-not-found", "there is no job \(earlier) to publish again")
        }
        try await complete(job, emitting: Envelope(id: MessageID.job(job.jobId, .jobRepublish), causedBy: submission,
                                                   jobId: earlier,
                                                   payload: JobRepublish(jobId: earlier, requestId: job.jobId))) { connection in
            try await connection.query("""
                UPDATE jobs SET state = 'republished', source_ref = \(earlier), finished_at = now()
                WHERE job_id = \(job.jobId) AND state = 'ingesting'
                """, logger: runtime.logger)
        }
    }

    /// `job.failed` with a reason a person can act on.
    func fail(_ job: JobContext, error: SluiceError) async throws {
        try await complete(job, emitting: Envelope(id: MessageID.job(job.jobId, .jobFailed), causedBy: submission,
                                                   jobId: job.jobId,
                                                   payload: JobFailed(job: job, stage: "ingest", code: error.code,
                                                                      reason: error.message))) { connection in
            try await connection.query("""
                UPDATE jobs SET state = 'failed', error = \(error.description), finished_at = now()
                WHERE job_id = \(job.jobId) AND state = 'ingesting'
                """, logger: runtime.logger)
        }
    }

    /// A cancelled job: recorded, nothing emitted (the gateway already shows it cancelled).
    func cancel(_ job: JobContext) async throws {
        let submissionId = submission.id
        try await runtime.transaction(traceparent: traceparent) { connection, _ in
            guard try await Inbox.claim(submissionId, type: JobSubmit.messageType.rawValue,
                                        on: connection, logger: runtime.logger) else { return }
            try await connection.query("""
                UPDATE jobs SET state = 'cancelled', finished_at = now() WHERE job_id = \(job.jobId) AND state = 'ingesting'
                """, logger: runtime.logger)
        }
    }

    private func complete<P: MessagePayload>(_ job: JobContext, emitting event: Envelope<P>,
                                             _ update: @escaping @Sendable (PostgresConnection) async throws -> Void) async throws {
        let submissionId = submission.id
        try await runtime.transaction(traceparent: traceparent) { connection, emitter in
            guard try await Inbox.claim(submissionId, type: JobSubmit.messageType.rawValue,
                                        on: connection, logger: runtime.logger) else { return }
            try await update(connection)
            try emitter.emit(event)
        }
    }
}
