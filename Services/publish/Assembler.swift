import Contracts
import ServiceRuntime
import Tabular

/// Builds a job's artifacts once all its chunks are in: the output CSV (input order,
/// formula-safe) and the JSON summary.
enum Assembler {
    static func completeIfReady<Cause>(jobId: String, repository: PublishRepository, context: HandlerContext,
                                       cause: Envelope<Cause>) async throws {
        guard let ready = try await repository.lockIfComplete(jobId: jobId) else { return }
        var columns = ready.columns
        var csv: [UInt8] = []
        let writer = CSVWriter()
        var stats: [ColumnStats] = []
        var valid = 0
        var invalid = 0
        var errors: [RecordError] = []
        var headerWritten = false
        try await repository.forEachChunk(jobId: jobId) { records, invalidCount, chunkErrors in
            if !headerWritten, columns.isEmpty, let first = records.first { columns = (0..<first.values.count).map { "column_\($0 + 1)" } }
            if !headerWritten {
                writer.append(columns, to: &csv)
                stats = columns.map(ColumnStats.init)
                headerWritten = true
            }
            for record in records {
                writer.append(record.values, to: &csv)
                for (index, value) in record.values.enumerated() where index < stats.count { stats[index].add(value) }
            }
            valid += records.count
            invalid += invalidCount
            errors += chunkErrors
        }
        if !headerWritten {
            writer.append(columns, to: &csv)
            stats = columns.map(ColumnStats.init)
        }
        let summary = JobSummary(job: .init(id: ready.job.jobId, name: ready.job.name, tags: ready.job.tags),
                                 rows: .init(total: ready.rows, valid: valid, invalid: invalid),
                                 columns: stats.map(\.summary), errors: errors)
        let summaryBytes = try JSONCoding.encoder(pretty: true).encode(summary) + [0x0A]
        let artifacts = [
            try await repository.storeArtifact(jobId: jobId, name: "output.csv", contentType: "text/csv", content: csv),
            try await repository.storeArtifact(jobId: jobId, name: "summary.json", contentType: "application/json",
                                               content: Array(summaryBytes)),
        ]
        try await repository.markPublished(jobId: jobId)
        try context.emit(Envelope(id: MessageID.job(jobId, .jobPublished), causedBy: cause, producer: "publish",
                                  payload: JobPublished(job: ready.job, artifacts: artifacts, rowsTotal: ready.rows,
                                                        rowsValid: valid, rowsInvalid: invalid)))
        context.logger.info("job published", metadata: ["job_id": "\(jobId)", "rows": "\(valid)"])
    }
}
