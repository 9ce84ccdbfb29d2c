import Contracts
import Definitions
import Foundation
import Plans
import PostgresNIO
import Runtime
import Storage

/// Stored reference tables that `lookup` steps join (docs/plans.md#lookup), versioned like
/// plans: every upload of a name is its next version and old versions stay readable. A job
/// that names a table without a version is pinned to its latest version the first time a
/// replica resolves it, so every chunk and retry of the job joins the same rows.
struct ReferenceStore: Sendable {
    let runtime: RuntimeContext

    /// One stored version, without its rows (for lists).
    struct Summary: Codable, Sendable, Hashable {
        var name: String
        var version: Int
        var columns: [String]
        var rows: Int
        var createdAt: Date
        /// `name@version`.
        var reference: String { "\(name)@\(version)" }
    }

    static let migrations = [
        Migration(4, "reference tables", ["""
            CREATE TABLE reference_tables (
                name       text NOT NULL,
                version    integer NOT NULL,
                columns    jsonb NOT NULL,
                row_count  integer NOT NULL,
                body       jsonb NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (name, version)
            )
            """, """
            CREATE TABLE reference_pins (
                job_id    text NOT NULL,
                name      text NOT NULL,
                version   integer NOT NULL,
                pinned_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (job_id, name)
            )
            """]),
    ]

    /// Stores `table` as the next version of `name`.
    func put(name: String, table: ReferenceTable) async throws -> Summary {
        guard name.range(of: DefinitionStore.namePattern, options: .regularExpression) != nil else {
            throw SluiceError.permanent("reference.invalid-name",
                "'\(name)' is not a valid reference table name: use letters, digits, '.', '_' and '-' (at most 100)")
        }
        let body = String(decoding: try JSONEncoder().encode(table), as: UTF8.self)
        let columns = String(decoding: try JSONEncoder().encode(table.columns), as: UTF8.self)
        let count = table.rows.count
        return try await runtime.database.transaction { connection in
            // Serialize writers of one name so versions never collide.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('reference/' || \(name)))", logger: runtime.logger)
            let rows = try await connection.query("""
                INSERT INTO reference_tables (name, version, columns, row_count, body)
                SELECT \(name), coalesce(max(version), 0) + 1, \(columns)::jsonb, \(count), \(body)::jsonb
                FROM reference_tables WHERE name = \(name)
                RETURNING version, created_at
                """, logger: runtime.logger)
            for try await (version, created) in rows.decode((Int, Date).self) {
                return Summary(name: name, version: version, columns: table.columns, rows: count, createdAt: created)
            }
            throw SluiceError.transient("reference.store-failed", "storing reference table \(name) returned nothing")
        }
    }

    /// The latest version of every table.
    func list() async throws -> [Summary] {
        let rows = try await runtime.database.query("""
            SELECT DISTINCT ON (name) name, version, columns::text, row_count, created_at
            FROM reference_tables ORDER BY name, version DESC
            """, logger: runtime.logger)
        var result: [Summary] = []
        for try await (name, version, columns, count, created) in rows.decode((String, Int, String, Int, Date).self) {
            result.append(Summary(name: name, version: version, columns: Self.columns(columns), rows: count, createdAt: created))
        }
        return result
    }

    /// A version of `name` (the latest when `version` is nil), with its rows.
    func get(name: String, version: Int?) async throws -> (Summary, ReferenceTable)? {
        let rows = try await runtime.database.query("""
            SELECT version, row_count, created_at, body::text FROM reference_tables
            WHERE name = \(name) AND (\(version)::integer IS NULL OR version = \(version))
            ORDER BY version DESC LIMIT 1
            """, logger: runtime.logger)
        for try await (found, count, created, body) in rows.decode((Int, Int, Date, String).self) {
            let table = try JSONDecoder().decode(ReferenceTable.self, from: Data(body.utf8))
            return (Summary(name: name, version: found, columns: table.columns, rows: count, createdAt: created), table)
        }
        return nil
    }

    /// `NAME` or `NAME@VERSION` for a job: the version pinned on first use, read through
    /// `cache` (parsed tables by `name@version`: a catalog run's jobs share one).
    func resolve(_ reference: String, jobId: String, cache: ReferenceCache) async throws -> (Summary, ReferenceTable) {
        let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        var version = parts.count == 2 ? Int(parts[1]) : nil
        if parts.count == 2, version == nil {
            throw SluiceError.permanent("reference.invalid-reference", "'\(reference)' should be NAME or NAME@VERSION")
        }
        if version == nil {
            let pinned = try await runtime.database.query("""
                INSERT INTO reference_pins (job_id, name, version)
                SELECT \(jobId), \(name), max(version) FROM reference_tables WHERE name = \(name) HAVING max(version) IS NOT NULL
                ON CONFLICT (job_id, name) DO UPDATE SET job_id = EXCLUDED.job_id
                RETURNING version
                """, logger: runtime.logger)
            for try await found in pinned.decode(Int.self) { version = found }
        }
        if let version, let cached = cache.get("\(name)@\(version)") { return cached }
        guard let version, let found = try await get(name: name, version: version) else {
            throw SluiceError.permanent("reference.not-found",
                "there is no stored reference table '\(reference)'; store it first (sluice references put \(name) FILE)")
        }
        cache.put(found)
        return found
    }

    /// Forgets pins of jobs older than `days` (their jobs have long ended).
    func purgePins(olderThanDays days: Int) async throws {
        try await runtime.database.query("""
            DELETE FROM reference_pins WHERE pinned_at < now() - make_interval(days => \(days)::integer)
            """, logger: runtime.logger)
    }

    private static func columns(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
