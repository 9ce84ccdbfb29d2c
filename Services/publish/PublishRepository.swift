import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceRuntime
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
    ])

    func recordJob(_ event: JobIngested) async throws {
        let context = String(decoding: try JSONCoding.encode(event.job), as: UTF8.self)
        let columns = String(decoding: try JSONCoding.encode(event.columns), as: UTF8.self)
        try await connection.query("""
            INSERT INTO jobs (job_id, context, chunk_count, row_count, columns)
            VALUES (\(event.job.jobId), \(context)::jsonb, \(event.chunkCount), \(event.rowCount), \(columns)::jsonb)
            ON CONFLICT (job_id) DO UPDATE SET context = EXCLUDED.context, chunk_count = EXCLUDED.chunk_count,
                row_count = EXCLUDED.row_count, columns = EXCLUDED.columns
            """, logger: logger)
    }

    func recordChunk(_ chunk: ChunkTransformed) async throws {
        try await connection.query("INSERT INTO jobs (job_id) VALUES (\(chunk.job.jobId)) ON CONFLICT DO NOTHING",
                                   logger: logger)
        let columns = String(decoding: try JSONCoding.encode(chunk.columns), as: UTF8.self)
        let records = ByteBuffer(bytes: try JSONCoding.encode(chunk.records))
        let errors = ByteBuffer(bytes: try JSONCoding.encode(chunk.errors))
        try await connection.query("""
            INSERT INTO chunks (job_id, chunk_index, columns, records, invalid_count, errors)
            VALUES (\(chunk.job.jobId), \(chunk.chunkIndex), \(columns)::jsonb, \(records), \(chunk.invalidCount), \(errors))
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// Locks the job row; returns it when every chunk has arrived and it is not yet published.
    /// The row lock serializes replicas: whichever commits the last chunk second sees all.
    func lockIfComplete(jobId: String) async throws -> (job: JobContext, rows: Int, columns: [String], chunks: Int)? {
        let rows = try await connection.query("""
            SELECT context::text, chunk_count, row_count, columns::text, state FROM jobs WHERE job_id = \(jobId) FOR UPDATE
            """, logger: logger)
        var found: (String?, Int?, Int?, String?, String)?
        for try await row in rows.decode((String?, Int?, Int?, String?, String).self) { found = row }
        guard let found, found.4 == "collecting", let context = found.0, let chunkCount = found.1 else { return nil }
        let counted = try await connection.query("SELECT count(*) FROM chunks WHERE job_id = \(jobId)", logger: logger)
        var have = 0
        for try await n in counted.decode(Int.self) { have = n }
        guard have == chunkCount else { return nil }
        let job = try JSONCoding.decode(JobContext.self, from: Array(context.utf8))
        let columns = try JSONCoding.decode([String].self, from: Array((found.3 ?? "[]").utf8))
        return (job, found.2 ?? 0, columns, chunkCount)
    }

    /// Streams a job's chunks in order to `body`.
    func forEachChunk(jobId: String, _ body: ([Record], Int, [RecordError]) throws -> Void) async throws {
        let rows = try await connection.query("""
            SELECT records, invalid_count, errors FROM chunks WHERE job_id = \(jobId) ORDER BY chunk_index
            """, logger: logger)
        for try await (records, invalid, errors) in rows.decode((ByteBuffer, Int, ByteBuffer).self) {
            try body(try JSONCoding.decode([Record].self, from: records.readableBytesView),
                     invalid, try JSONCoding.decode([RecordError].self, from: errors.readableBytesView))
        }
    }

    func storeArtifact(jobId: String, name: String, contentType: String, content: [UInt8]) async throws -> ArtifactRef {
        let ref = ArtifactRef(name: name, contentType: contentType, bytes: content.count,
                              sha256: MessageID.sha256Hex(content))
        try await connection.query("""
            INSERT INTO artifacts (job_id, name, content_type, bytes, sha256, content)
            VALUES (\(jobId), \(name), \(contentType), \(content.count), \(ref.sha256), \(ByteBuffer(bytes: content)))
            ON CONFLICT (job_id, name) DO UPDATE SET content_type = EXCLUDED.content_type, bytes = EXCLUDED.bytes,
                sha256 = EXCLUDED.sha256, content = EXCLUDED.content
            """, logger: logger)
        return ref
    }

    func markPublished(jobId: String) async throws {
        try await connection.query("UPDATE jobs SET state = 'published', published_at = now() WHERE job_id = \(jobId)",
                                   logger: logger)
    }
}
