import Contracts
import ServiceRuntime
import Tabular

/// Turns parsed CSV records into `chunk.ingested` messages and publishes them in batches
/// (one confirm wait per batch, not per chunk).
struct Chunker {
    let job: JobContext
    let submission: Envelope<JobSubmit>
    let chunkSize: Int
    let batch: Int
    private var reader: CSVReader?
    private var columns: [String]?
    private var current: [Record] = []
    private var pending: [Envelope<ChunkIngested>] = []
    private(set) var chunks = 0
    private(set) var rows = 0

    init(job: JobContext, submission: Envelope<JobSubmit>, chunkSize: Int, batch: Int) {
        self.job = job
        self.submission = submission
        self.chunkSize = chunkSize
        self.batch = max(1, batch)
    }

    mutating func feed(_ block: [UInt8], runtime: RuntimeContext, traceparent: String?) async throws {
        if reader == nil { reader = CSVReader(dialect: CSVDialect.detect(sample: block.prefix(64 * 1024))) }
        let records = reader!.feed(block)
        if let failure = reader!.failure { throw Self.error(failure) }
        try await take(records, runtime: runtime, traceparent: traceparent)
    }

    mutating func finish(runtime: RuntimeContext, traceparent: String?) async throws
        -> (chunks: Int, rows: Int, columns: [String]) {
        var last: [CSVRecord] = []
        if var reader {
            do { last = try reader.finish() } catch { throw Self.error(error) }
            self.reader = reader
        }
        try await take(last, runtime: runtime, traceparent: traceparent)
        guard let columns else {
            throw SluiceError.permanent("ingest.empty-source", "the source is empty: expected a header line and records")
        }
        if !current.isEmpty { cut() }
        try await flush(runtime: runtime, traceparent: traceparent)
        return (chunks, rows, columns)
    }

    private mutating func take(_ records: [CSVRecord], runtime: RuntimeContext, traceparent: String?) async throws {
        var records = records[...]
        if columns == nil, let header = records.popFirst() {
            columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        // NUL becomes U+FFFD here: a NUL cell would otherwise stall the job downstream.
        for record in records {
            current.append(Record(line: record.line, values: record.fields.map { .string($0.replacingNUL) }))
            rows += 1
            if current.count == chunkSize { cut() }
        }
        if pending.count >= batch { try await flush(runtime: runtime, traceparent: traceparent) }
    }

    private mutating func cut() {
        let payload = ChunkIngested(job: job, chunkIndex: chunks, columns: columns ?? [], records: current)
        pending.append(Envelope(id: MessageID.chunk(job.jobId, .chunkIngested, chunks), causedBy: submission,
                                jobId: job.jobId, producer: "ingest", payload: payload))
        chunks += 1
        current.removeAll(keepingCapacity: true)
    }

    private mutating func flush(runtime: RuntimeContext, traceparent: String?) async throws {
        guard !pending.isEmpty else { return }
        try await runtime.publish(pending, traceparent: TraceParent.child(of: traceparent))
        pending.removeAll(keepingCapacity: true)
    }

    private static func error(_ error: CSVError) -> SluiceError {
        .permanent("ingest.\(error.code)", error.message)
    }
}
