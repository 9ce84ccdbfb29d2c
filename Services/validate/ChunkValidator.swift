import Contracts
import ServiceRuntime

/// Handles `chunk.ingested`: stores per-record errors and emits `chunk.validated`, or
/// `job.failed` when the header lacks a schema column (every chunk emits the same
/// deterministic `job.failed` id, so the job fails once).
enum ChunkValidator {
    static func handle(_ envelope: Envelope<ChunkIngested>, context: HandlerContext) async throws {
        let chunk = envelope.payload
        let job = chunk.job
        let missing = RecordRules.missingColumns(header: chunk.columns, schema: job.schema)
        if !missing.isEmpty {
            let reason = "the header lacks column(s) \(missing.map { "'\($0)'" }.joined(separator: ", ")) required by the "
                + "job's schema; the header has \(chunk.columns.map { "'\($0)'" }.joined(separator: ", ")). "
                + "Fix the file's header or the schema and submit again."
            try context.emit(Envelope(id: MessageID.job(job.jobId, .jobFailed), causedBy: envelope, producer: "validate",
                                      payload: JobFailed(job: job, stage: "validate", code: "validate.missing-column",
                                                         reason: reason)))
            return
        }
        var valid: [Record] = []
        var errors: [RecordError] = []
        var invalid = 0
        valid.reserveCapacity(chunk.records.count)
        for record in chunk.records {
            let problems = RecordRules.check(record, header: chunk.columns, schema: job.schema)
            if problems.isEmpty {
                valid.append(record)
            } else {
                invalid += 1
                errors += problems
            }
        }
        try await ValidateRepository(runtime: context.runtime)
            .record(jobId: job.jobId, chunk: chunk.chunkIndex, valid: valid.count, errors: errors, on: context.connection)
        try context.emit(Envelope(id: MessageID.chunk(job.jobId, .chunkValidated, chunk.chunkIndex), causedBy: envelope,
                                  producer: "validate",
                                  payload: ChunkValidated(job: job, chunkIndex: chunk.chunkIndex, columns: chunk.columns,
                                                          records: valid, invalidCount: invalid, errors: errors)))
    }
}
