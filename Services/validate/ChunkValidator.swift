import Chunks
import Columnar
import Contracts
import Runtime
import Tabular
import Validation

/// Handles `chunk.ingested`: checks every record against the job's Table Schema (inline or
/// stored, pinned per job), stores per-record errors and emits `chunk.validated` with typed
/// values and unique-key fingerprints; or `job.failed` when the schema is invalid or the
/// header does not match it (every chunk emits the same deterministic `job.failed` id, so the
/// job fails once).
struct ChunkValidator: Sendable {
    let schemas: SchemaCache

    func handle(_ envelope: Envelope<ChunkIngested>, context: HandlerContext) async throws {
        let chunk = envelope.payload
        let job = chunk.job
        let chunks = context.runtime.chunks
        let resolved: SchemaCache.Resolved?
        do {
            resolved = try await schemas.resolve(job, runtime: context.runtime, connection: context.connection)
        } catch let error as SluiceError where error.disposition == .permanent && error.code != "schema.not-found" {
            // A missing stored schema dead-letters the chunk (fixable, then re-driven) instead.
            return try fail(envelope, code: error.code, reason: error.message, context: context)
        }
        let table = try await chunks.readTable(chunk.data)
        let records = { () throws -> [Record] in
            try ChunkStore.unreadable(chunk.data) { () throws(ArrowFormatError) in try ChunkCodec.decode(table) }.records
        }
        var checked = CheckedRows()
        if let resolved {
            let header = resolved.compiled.checkHeader(chunk.columns)
            if !header.isValid {
                let reason = header.problems.map { $0.message.hasSuffix(".") ? String($0.message.dropLast()) : $0.message }
                    .joined(separator: "; ") + ". The header has \(chunk.columns.map { "'\($0)'" }.joined(separator: ", ")). "
                    + "Fix the file's header or the schema and submit again."
                let code = header.problems.contains { $0.code == "missing-label" } ? "validate.missing-column"
                    : "validate.header-mismatch"
                return try fail(envelope, code: code, reason: reason, context: context)
            }
            let checker = resolved.compiled.rowChecker(header: chunk.columns)
            let missing = Self.missingTokens(resolved.compiled.schema, header: chunk.columns)
            if let texts = try ChunkStore.unreadable(chunk.data, { () throws(ArrowFormatError) in try TextChunk(table) }) {
                await checked.check(texts, with: checker, missing: missing)
            } else {
                await checked.check(try records(), with: checker, missing: missing)
            }
        } else {
            for record in try records() {
                let problems = RecordRules.check(record, header: chunk.columns)
                if problems.isEmpty { checked.valid.append(record) } else { checked.invalid += 1; checked.errors += problems }
            }
        }
        let (valid, keyRows, errors, invalid) = (checked.valid, checked.keyRows, checked.errors, checked.invalid)
        // The outputs are stored before the transaction commits: the message it sends names them.
        let data = try await chunks.writeRecords(valid, columns: chunk.columns, jobId: job.jobId, stage: .validated,
                                                 index: chunk.chunkIndex, carried: checked.carried)
        let errorRef = try await chunks.writeErrors(errors, jobId: job.jobId, stage: .validateErrors, index: chunk.chunkIndex)
        let keysRef = keyRows.isEmpty ? nil
            : try await chunks.writeRecords(keyRows, columns: [], jobId: job.jobId, stage: .keys, index: chunk.chunkIndex)
        try await ValidateRepository(runtime: context.runtime)
            .record(jobId: job.jobId, chunk: chunk.chunkIndex, valid: valid.count, errors: errors, on: context.connection)
        let keys = resolved?.compiled.uniqueConstraints.map(\.uniqueKey)
        try context.emit(Envelope(id: MessageID.chunk(job.jobId, .chunkValidated, chunk.chunkIndex), causedBy: envelope,
                                  payload: ChunkValidated(job: job, chunkIndex: chunk.chunkIndex, columns: chunk.columns,
                                                          data: data, invalidCount: invalid, errors: errorRef,
                                                          uniqueKeys: keys?.isEmpty == false ? keys : nil,
                                                          keys: keysRef,
                                                          schemaRef: resolved?.reference)))
    }

    private func fail(_ envelope: Envelope<ChunkIngested>, code: String, reason: String, context: HandlerContext) throws {
        let job = envelope.payload.job
        try context.emit(Envelope(id: MessageID.job(job.jobId, .jobFailed), causedBy: envelope,
                                  payload: JobFailed(job: job, stage: "validate", code: code, reason: reason)))
    }

    /// Per column, the text that stands for a cell ingest made null (a present but missing
    /// cell, which is not the same as an absent one): `""` when the column treats it as
    /// missing, else the column's first missing value.
    static func missingTokens(_ schema: TableSchema, header: [String]) -> [String] {
        header.map { name in
            let values = schema.field(named: name)?.missingValues ?? schema.missingValues ?? [""]
            return values.contains("") ? "" : values.first ?? ""
        }
    }
}
