import Logging
import PostgresNIO

/// Applies migration sets at start-up. Replicas starting together serialize on an advisory
/// lock keyed by the schema, and each applied version is recorded in `schema_migrations`, so
/// running the migrations twice is a no-op.
public enum Migrator {
    /// Applies every pending migration of `sets`, in order, in one transaction.
    /// - Returns: the versions applied, as `component:version`.
    @discardableResult
    public static func migrate(_ database: Database, _ sets: [MigrationSet], logger: Logger) async throws -> [String] {
        try await database.transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(current_schema()))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    component  text NOT NULL,
                    version    integer NOT NULL,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (component, version)
                )
                """, logger: logger)
            var applied: [String] = []
            for set in sets {
                var done = Set<Int>()
                let rows = try await connection.query(
                    "SELECT version FROM schema_migrations WHERE component = \(set.component)", logger: logger)
                for try await version in rows.decode(Int.self) { done.insert(version) }
                for migration in set.migrations where !done.contains(migration.version) {
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("""
                        INSERT INTO schema_migrations (component, version, name)
                        VALUES (\(set.component), \(migration.version), \(migration.name))
                        """, logger: logger)
                    applied.append("\(set.component):\(migration.version)")
                }
            }
            if !applied.isEmpty { logger.info("migrations applied", metadata: ["versions": "\(applied)"]) }
            return applied
        }
    }
}
