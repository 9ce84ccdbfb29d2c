import Chunks
import Contracts
import Foundation
import Logging
import ObjectStorage
import PostgresNIO
import Runtime
import Storage

/// Publish's tables (schema `publish`): jobs being collected, their chunks, and artifacts.
struct PublishRepository {
    let runtime: RuntimeContext
    let connection: PostgresConnection
    var logger: Logger { runtime.logger }

    static let migrations = MigrationSet(component: "publish", migrations: [
        Migration(1, "jobs, chunks, artifacts", [
            """
            CREATE TABLE jobs (
                job_id       text PRIMARY KEY,
                context      jsonb,
                chunk_count  integer,
                row_count    integer,
                columns      jsonb,
                state        text NOT NULL DEFAULT 'collecting',
                published_at timestamptz
            )
            """,
            """
            CREATE TABLE chunks (
                job_id        text NOT NULL,
                chunk_index   integer NOT NULL,
                columns       jsonb NOT NULL,
                records       bytea NOT NULL,
                invalid_count integer NOT NULL,
                errors        bytea NOT NULL,
                PRIMARY KEY (job_id, chunk_index)
            )
            """,
            """
            CREATE TABLE artifacts (
                job_id       text NOT NULL,
                name         text NOT NULL,
                content_type text NOT NULL,
                bytes        integer NOT NULL,
                sha256       text NOT NULL,
                content      bytea NOT NULL,
                created_at   timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (job_id, name)
            )
            """,
        ]),
        Migration(2, "artifacts in parts, chunk metadata, job outcome", [
            "ALTER TABLE artifacts ALTER COLUMN content DROP NOT NULL",
            "ALTER TABLE artifacts ADD COLUMN parts integer NOT NULL DEFAULT 0",
            """
            CREATE TABLE artifact_parts (
                job_id  text NOT NULL,
                name    text NOT NULL,
                part    integer NOT NULL,
                content bytea NOT NULL,
                PRIMARY KEY (job_id, name, part)
            )
            """,
            """
            INSERT INTO artifact_parts (job_id, name, part, content)
            SELECT job_id, name, 0, content FROM artifacts WHERE content IS NOT NULL
            """,
            "UPDATE artifacts SET parts = 1, content = NULL WHERE content IS NOT NULL",
            "ALTER TABLE chunks ADD COLUMN meta bytea",
            "ALTER TABLE jobs ADD COLUMN ingested_at timestamptz",
            "ALTER TABLE jobs ADD COLUMN source jsonb",
            "ALTER TABLE jobs ADD COLUMN outcome bytea",
        ]),
        Migration(3, "artifact sizes beyond 2 GiB", [
            "ALTER TABLE artifacts ALTER COLUMN bytes TYPE bigint",
        ]),
        // Chunks are claim checks now: publish keeps the references, the store the records.
        Migration(4, "chunk references instead of chunk records", [
            "DELETE FROM chunks",
            "ALTER TABLE chunks ALTER COLUMN records DROP NOT NULL",
            "ALTER TABLE chunks ALTER COLUMN errors DROP NOT NULL",
            "ALTER TABLE chunks ADD COLUMN data jsonb",
            "ALTER TABLE chunks ADD COLUMN error_refs jsonb",
        ]),
        // Artifact parts are already compressed (XLSX) or written once and read rarely:
        // PostgreSQL's pglz compression of every 1 MiB part cost more CPU than it saved.
        Migration(5, "artifact parts stored without compression", [
            "ALTER TABLE artifact_parts ALTER COLUMN content SET STORAGE EXTERNAL",
        ]),
        // Artifacts live in the object store; the row keeps their metadata and key. Rows
        // without a key are older artifacts whose bytes are still in artifact_parts.
        Migration(6, "artifacts in the object store", [
            "ALTER TABLE artifacts ADD COLUMN object_key text",
        ]),
    ])

    func recordJob(_ event: JobIngested, at time: Date) async throws {
        let context = String(decoding: try JSONCoding.encode(event.job), as: UTF8.self)
        let columns = String(decoding: try JSONCoding.encode(event.columns), as: UTF8.self)
        let source = try event.source.map { String(decoding: try JSONCoding.encode($0), as: UTF8.self) }
        try await connection.query("""
            INSERT INTO jobs (job_id, context, chunk_count, row_count, columns, ingested_at, source)
            VALUES (\(event.job.jobId), \(context)::jsonb, \(event.chunkCount), \(event.rowCount), \(columns)::jsonb,
                    \(time), \(source)::jsonb)
            ON CONFLICT (job_id) DO UPDATE SET context = EXCLUDED.context, chunk_count = EXCLUDED.chunk_count,
                row_count = EXCLUDED.row_count, columns = EXCLUDED.columns, ingested_at = EXCLUDED.ingested_at,
                source = EXCLUDED.source
            """, logger: logger)
    }

    /// Records a chunk's claim check (its records stay in the chunk store).
    func recordChunk(_ chunk: ChunkTransformed, at time: Date) async throws {
        try await connection.query("INSERT INTO jobs (job_id) VALUES (\(chunk.job.jobId)) ON CONFLICT DO NOTHING",
                                   logger: logger)
        let columns = String(decoding: try JSONCoding.encode(chunk.columns), as: UTF8.self)
        let data = String(decoding: try JSONCoding.encode(chunk.data), as: UTF8.self)
        let errors = String(decoding: try JSONCoding.encode(chunk.errors), as: UTF8.self)
        let meta = ByteBuffer(bytes: try JSONCoding.encode(ChunkMeta(chunk, transformedAt: time)))
        try await connection.query("""
            INSERT INTO chunks (job_id, chunk_index, columns, data, invalid_count, error_refs, meta)
            VALUES (\(chunk.job.jobId), \(chunk.chunkIndex), \(columns)::jsonb, \(data)::jsonb, \(chunk.invalidCount),
                    \(errors)::jsonb, \(meta))
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// Locks the job row; returns it when every chunk has arrived and it is not yet published.
    /// The row lock serializes replicas: whichever commits the last chunk second sees all.
    func lockIfComplete(jobId: String) async throws -> ReadyJob? {
        let rows = try await connection.query("""
            SELECT context::text, chunk_count, row_count, columns::text, state, ingested_at, source::text
            FROM jobs WHERE job_id = \(jobId) FOR UPDATE
            """, logger: logger)
        var found: (String?, Int?, Int?, String?, String, Date?, String?)?
        for try await row in rows.decode((String?, Int?, Int?, String?, String, Date?, String?).self) { found = row }
        guard let found, found.4 == "collecting", let context = found.0, let chunkCount = found.1 else { return nil }
        let counted = try await connection.query("SELECT count(*) FROM chunks WHERE job_id = \(jobId)", logger: logger)
        var have = 0
        for try await n in counted.decode(Int.self) { have = n }
        guard have == chunkCount else { return nil }
        let job = try JSONCoding.decode(JobContext.self, from: Array(context.utf8))
        let columns = try JSONCoding.decode([String].self, from: Array((found.3 ?? "[]").utf8))
        let source = try found.6.map { try JSONCoding.decode(SourceInfo.self, from: Array($0.utf8)) }
        return ReadyJob(job: job, rows: found.2 ?? 0, columns: columns, chunks: chunkCount, ingestedAt: found.5,
                        source: source)
    }

    /// The claim checks of a job's chunks, in order (every one of them must be recorded).
    func chunkEntries(jobId: String, count: Int) async throws -> [ChunkEntry] {
        // In pages of a few rows: a row carries its chunk when the chunk travels inline (up to
        // about 6 KB), and PostgresNIO 1.x stops the process (a precondition in its row stream)
        // when the server closes the connection while a long result waits for its reader, as
        // a database restart does. A page of this size arrives whole.
        var entries: [ChunkEntry] = []
        while true {
            let after = entries.last?.index ?? -1
            let rows = try await connection.query("""
                SELECT chunk_index, columns::text, data::text, invalid_count, error_refs::text, meta FROM chunks
                WHERE job_id = \(jobId) AND data IS NOT NULL AND chunk_index > \(after) ORDER BY chunk_index
                LIMIT \(Self.chunkPage)
                """, logger: logger)
            let before = entries.count
            for try await (index, columns, data, invalid, errors, meta) in rows.decode((Int, String, String, Int, String, ByteBuffer?).self) {
                entries.append(ChunkEntry(
                    index: index, columns: try JSONCoding.decode([String].self, from: Array(columns.utf8)),
                    data: try JSONCoding.decode(ChunkRef.self, from: Array(data.utf8)), invalidCount: invalid,
                    errors: try JSONCoding.decode([ChunkRef].self, from: Array(errors.utf8)),
                    meta: try meta.map { try JSONCoding.decode(ChunkMeta.self, from: $0.readableBytesView) } ?? ChunkMeta()))
            }
            if entries.count - before < Self.chunkPage { break }
        }
        guard entries.map(\.index) == Array(0..<count) else {
            throw SluiceError.transient("publish.chunk-missing", "job \(jobId) has \(entries.count) of its \(count) chunks recorded")
        }
        return entries
    }

    /// Chunk rows read per query (see ``chunkEntries(jobId:count:)``).
    static let chunkPage = 8

    /// Marks the job published (or failed by policy) and keeps its outcome event for
    /// publish-only re-runs.
    func markPublished(jobId: String, outcome: JobPublished?, state: String = "published") async throws {
        let bytes = try outcome.map { ByteBuffer(bytes: try JSONCoding.encode($0)) }
        try await connection.query("""
            UPDATE jobs SET state = \(state), published_at = now(), outcome = \(bytes) WHERE job_id = \(jobId)
            """, logger: logger)
    }

    /// Deletes artifacts (a job failed by its invalid-rows policy publishes no dataset): their
    /// rows and their objects.
    func removeArtifacts(jobId: String, names: [String]) async throws {
        guard !names.isEmpty else { return }
        let rows = try await connection.query("""
            DELETE FROM artifacts WHERE job_id = \(jobId) AND name = ANY(\(names)) RETURNING object_key
            """, logger: logger)
        var keys: [String] = []
        for try await key in rows.decode(String?.self) { if let key { keys.append(key) } }
        try await connection.query("DELETE FROM artifact_parts WHERE job_id = \(jobId) AND name = ANY(\(names))", logger: logger)
        for key in keys {
            do {
                try await runtime.objects.delete(try ObjectKey(key))
            } catch {
                throw ChunkStore.fault(error)
            }
        }
    }

    /// The stored `job.published` payload of a published job.
    func outcome(jobId: String) async throws -> JobPublished? {
        let rows = try await connection.query("""
            SELECT outcome FROM jobs WHERE job_id = \(jobId) AND state = 'published'
            """, logger: logger)
        for try await bytes in rows.decode(ByteBuffer?.self) {
            return try bytes.map { try JSONCoding.decode(JobPublished.self, from: $0.readableBytesView) }
        }
        return nil
    }
}

/// A job whose chunks are all in.
struct ReadyJob {
    var job: JobContext
    var rows: Int
    var columns: [String]
    var chunks: Int
    var ingestedAt: Date?
    var source: SourceInfo?
}

/// A chunk's claim check as publish records it.
struct ChunkEntry: Sendable {
    var index: Int
    var columns: [String]
    var data: ChunkRef
    var invalidCount: Int
    var errors: [ChunkRef]
    var meta: ChunkMeta

    init(index: Int, columns: [String], data: ChunkRef, invalidCount: Int, errors: [ChunkRef], meta: ChunkMeta) {
        self.index = index
        self.columns = columns
        self.data = data
        self.invalidCount = invalidCount
        self.errors = errors
        self.meta = meta
    }

    init(_ chunk: ChunkTransformed, at time: Date) {
        self.init(index: chunk.chunkIndex, columns: chunk.columns, data: chunk.data, invalidCount: chunk.invalidCount,
                  errors: chunk.errors, meta: ChunkMeta(chunk, transformedAt: time))
    }

    /// The chunk's records, errors and input key fingerprints, read from the store.
    func load(from chunks: ChunkStore) async throws -> StoredChunk {
        var keyRows: [Record]?
        if let keys = meta.keys { keyRows = try await chunks.readRecords(keys).records }
        return StoredChunk(columns: columns, records: try await chunks.readRecords(data).records, invalidCount: invalidCount,
                           errors: try await chunks.readErrors(errors), meta: meta, keyRows: keyRows)
    }
}

/// One stored chunk, decoded.
struct StoredChunk: Sendable {
    var columns: [String]?
    var records: [Record]
    var invalidCount: Int
    var errors: [RecordError]
    var meta: ChunkMeta
    /// Every input row's key fingerprints (lines and keys only), valid or not, in source order.
    var keyRows: [Record]? = nil
}

/// What publish keeps of a `chunk.transformed` besides its records.
struct ChunkMeta: Codable, Sendable {
    var uniqueKeys: [UniqueKey]?
    /// Every input row's key fingerprints (validate's `validated-keys` object).
    var keys: ChunkRef?
    var appended: [Record]?
    var filteredCount: Int?
    var notes: [String]?
    var schemaRef: String?
    var planRef: String?
    var validatedAt: Date?
    var transformedAt: Date?
    var calls: CallTally?
    var lookups: [String]?

    init() {}

    init(_ chunk: ChunkTransformed, transformedAt: Date) {
        uniqueKeys = chunk.uniqueKeys
        keys = chunk.keys
        appended = chunk.appended
        filteredCount = chunk.filteredCount
        notes = chunk.notes
        schemaRef = chunk.schemaRef
        planRef = chunk.planRef
        validatedAt = chunk.validatedAt
        self.transformedAt = transformedAt
        calls = chunk.calls
        lookups = chunk.lookups
    }
}
