import Contracts
import Definitions
import Logging
import PostgresNIO
import Runtime
import Storage

/// Validate's tables (schema `validate`).
struct ValidateRepository {
    let runtime: RuntimeContext

    static let migrations = MigrationSet(component: "validate", migrations: [
        Migration(1, "chunk results and record errors", [
            """
            CREATE TABLE chunk_results (
                job_id        text NOT NULL,
                chunk_index   integer NOT NULL,
                valid_count   integer NOT NULL,
                invalid_count integer NOT NULL,
                validated_at  timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (job_id, chunk_index)
            )
            """,
            """
            CREATE TABLE record_errors (
                job_id      text NOT NULL,
                chunk_index integer NOT NULL,
                line        integer NOT NULL,
                field       text,
                code        text NOT NULL,
                message     text NOT NULL,
                value       text
            )
            """,
            "CREATE INDEX record_errors_job ON record_errors (job_id, line)",
        ]),
        DefinitionStore.migration(2),
    ])

    /// Stores a chunk's outcome; the inbox guarantees this runs once per chunk.
    func record(jobId: String, chunk: Int, valid: Int, errors: [RecordError], on connection: PostgresConnection) async throws {
        let invalid = Set(errors.map(\.line)).count
        try await connection.query("""
            INSERT INTO chunk_results (job_id, chunk_index, valid_count, invalid_count)
            VALUES (\(jobId), \(chunk), \(valid), \(invalid)) ON CONFLICT DO NOTHING
            """, logger: runtime.logger)
        guard !errors.isEmpty else { return }
        try await connection.query("""
            INSERT INTO record_errors (job_id, chunk_index, line, field, code, message, value)
            SELECT \(jobId), \(chunk), l, NULLIF(f, ''), c, m, NULLIF(v, '')
            FROM unnest(\(errors.map(\.line)), \(errors.map { $0.field ?? "" }),
                        \(errors.map(\.code)), \(errors.map(\.message)), \(errors.map { $0.value ?? "" })) AS e(l, f, c, m, v)
            """, logger: runtime.logger)
    }

    /// A job's record errors in line order.
    func errors(jobId: String, limit: Int) async throws -> [RecordError] {
        let rows = try await runtime.database.query("""
            SELECT line, field, code, message, value FROM record_errors WHERE job_id = \(jobId)
            ORDER BY line, code LIMIT \(limit)
            """, logger: runtime.logger)
        var result: [RecordError] = []
        for try await (line, field, code, message, value) in rows.decode((Int, String?, String, String, String?).self) {
            result.append(RecordError(line: line, field: field, code: code, message: message, value: value))
        }
        return result
    }
}
