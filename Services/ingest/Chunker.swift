import Foundation
import Chunks
import Contracts
import Formats
import Runtime
import Tabular

/// Turns standardized source rows into chunks: each is written once to the chunk store (an
/// Arrow chunk under its deterministic key) and announced by a small `chunk.ingested` claim
/// check. Messages go out in batches (one confirm wait per batch). The first row is the
/// header. A chunk is cut at `chunkSize` rows or `maxBytes` of cell text, whichever comes first.
struct Chunker {
    let job: JobContext
    let submission: Envelope<JobSubmit>
    let chunkSize: Int
    let maxBytes: Int
    let batch: Int
    let standardizer: RowStandardizer
    let limits: SourceLimits
    /// Runs on the header before any record is chunked (an inline plan is compiled here, so
    /// a plan error fails the job before a single row is processed).
    var checkHeader: @Sendable ([String]) throws -> Void = { _ in }
    private(set) var columns: [String]?
    /// The chunk being filled (made when the header is known).
    private var current: TextChunkBuilder?
    private var currentBytes = 0
    private var pending: [(index: Int, chunk: TextChunkBuilder)] = []
    private(set) var chunks = 0
    private(set) var rows = 0

    init(job: JobContext, submission: Envelope<JobSubmit>, chunkSize: Int, maxBytes: Int, batch: Int,
         standardizer: RowStandardizer, limits: SourceLimits) {
        self.job = job
        self.submission = submission
        self.chunkSize = chunkSize
        self.maxBytes = max(1, maxBytes)
        self.batch = max(1, batch)
        self.standardizer = standardizer
        self.limits = limits
    }

    /// Adds rows; stores and announces a batch of chunks when enough have accumulated.
    mutating func take(_ rows: [SourceRow], runtime: RuntimeContext, traceparent: String?) async throws {
        var rows = rows[...]
        if columns == nil, let header = rows.popFirst() {
            guard header.cells.count <= limits.maxColumns else {
                throw SluiceError.permanent("ingest.too-many-columns",
                    "the header has \(header.cells.count) columns; the limit is \(limits.maxColumns) (ingest.max.columns)")
            }
            let names = standardizer.header(header.cells)
            try checkHeader(names)
            columns = names
            current = newChunk()
        }
        for row in rows {
            try check(row)
            standardizer.append(row, to: &current!)
            for cell in row.cells { currentBytes += 8 + (cell?.utf8.count ?? 0) }
            self.rows += 1
            if current!.count == chunkSize || currentBytes >= maxBytes { cut() }
        }
        if pending.count >= batch { try await flush(runtime: runtime, traceparent: traceparent) }
    }

    /// Stores and announces what is left; returns the totals.
    mutating func finish(runtime: RuntimeContext, traceparent: String?) async throws
        -> (chunks: Int, rows: Int, columns: [String]) {
        guard let columns else {
            throw SluiceError.permanent("ingest.empty-source", "the source is empty: expected a header line and records")
        }
        // A header-only source still sends one (empty) chunk, so validate checks its header
        // and transform compiles the plan (and adds its appended records) like any other job.
        if current!.count > 0 || chunks == 0 { cut() }
        try await flush(runtime: runtime, traceparent: traceparent)
        return (chunks, rows, columns)
    }

    private func check(_ row: SourceRow) throws {
        guard rows < limits.maxRows else {
            throw SluiceError.permanent("ingest.too-many-rows",
                "the source has more than \(limits.maxRows) rows (ingest.max.rows); split it into several jobs")
        }
        guard row.cells.count <= limits.maxColumns else {
            throw SluiceError.permanent("ingest.too-many-columns",
                "line \(row.line) has \(row.cells.count) cells; the limit is \(limits.maxColumns) (ingest.max.columns)")
        }
        for cell in row.cells where (cell?.utf8.count ?? 0) > limits.maxFieldBytes {
            throw SluiceError.permanent("ingest.field-too-long",
                "line \(row.line) has a field of \(cell?.utf8.count ?? 0) bytes; the limit is \(limits.maxFieldBytes) (ingest.max.field.bytes)")
        }
    }

    private func newChunk() -> TextChunkBuilder {
        TextChunkBuilder(headerWidth: columns?.count ?? 0, capacity: min(chunkSize, 65_536))
    }

    private mutating func cut() {
        pending.append((chunks, current!))
        chunks += 1
        current = newChunk()
        currentBytes = 0
    }

    /// Writes the pending chunks (the store first: a message never names a chunk that is not
    /// durably stored), then publishes their claim checks and waits for the confirms.
    private mutating func flush(runtime: RuntimeContext, traceparent: String?) async throws {
        guard !pending.isEmpty else { return }
        // A chunk boundary: an operator's pause or cancel stops the reading here.
        switch runtime.controls.verdict(jobId: job.jobId, project: submission.project) {
        case .run: break
        case .hold: throw IngestStop.paused
        case .drop: throw IngestStop.cancelled
        }
        let columns = columns ?? []
        var envelopes: [Envelope<ChunkIngested>] = []
        for (index, chunk) in pending {
            let key = ChunkStore.key(jobId: job.jobId, stage: .ingested, index: index)
            let bytes = chunk.encode(header: ChunkCodec.Header(columns: columns, metadata: [
                ("sluice.job", job.jobId), ("sluice.stage", "ingested"), ("sluice.chunk", String(index))]))
            let ref = try await runtime.chunks.write(bytes, key: key, rows: chunk.count)
            envelopes.append(Envelope(id: MessageID.chunk(job.jobId, .chunkIngested, index), causedBy: submission,
                                      jobId: job.jobId, payload: ChunkIngested(job: job, chunkIndex: index,
                                                                               columns: columns, data: ref)))
        }
        pending.removeAll()
        try await runtime.publish(envelopes, traceparent: TraceParent.child(of: traceparent))
    }
}

/// Ingest stopped before or while reading: an operator paused or cancelled the job (at a
/// chunk boundary), or a rate limit holds it until `until`.
enum IngestStop: Error {
    case paused, cancelled
    case rateLimited(until: Date, reason: String)
}
