import Contracts
import Foundation
import Logging
import PostgresNIO
import Runtime
import Storage

/// A stored, versioned definition (a Table Schema in validate, a processing plan in
/// transform).
public struct StoredDefinition: Codable, Sendable, Hashable {
    /// The name operators and jobs refer to.
    public var name: String
    /// 1, 2, …: every `PUT` stores a new version; old versions stay readable.
    public var version: Int
    /// The definition as JSON.
    public var body: String
    /// When the version was stored.
    public var createdAt: Date

    /// `name@version`, as results documents report it.
    public var reference: String { "\(name)@\(version)" }
}

/// Named, versioned definitions in the owning service's own schema (tables `definitions`
/// and `definition_pins`, created by ``DefinitionStore/migration(_:)``). A job that names a
/// definition without a version is pinned to the latest version the first time any replica
/// resolves it, so every chunk of the job uses the same version even if a new one is stored
/// mid-job.
public struct DefinitionStore: Sendable {
    let runtime: RuntimeContext
    /// `schema` or `plan`: what error messages and codes call the definitions.
    public let kind: String

    /// Creates a store.
    public init(runtime: RuntimeContext, kind: String) {
        self.runtime = runtime
        self.kind = kind
    }

    /// The migration that creates the store's tables (append it to the service's set).
    public static func migration(_ number: Int) -> Migration {
        Migration(number, "versioned definitions", [
            """
            CREATE TABLE definitions (
                name       text NOT NULL,
                version    integer NOT NULL,
                body       jsonb NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (name, version)
            )
            """,
            """
            CREATE TABLE definition_pins (
                job_id  text PRIMARY KEY,
                name    text NOT NULL,
                version integer NOT NULL
            )
            """,
        ])
    }

    /// What a stored name may be: 1–100 letters, digits, `.`, `_` and `-`, starting with a
    /// letter or digit. Schemas, plans, reference tables and catalog datasets are named so.
    public static let namePattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"

    /// Stores `body` as the next version of `name`.
    public func put(name: String, body: String) async throws -> StoredDefinition {
        guard !name.isEmpty, name.range(of: Self.namePattern, options: .regularExpression) != nil else {
            throw SluiceError.permanent("\(kind).invalid-name",
                "'\(name)' is not a valid \(kind) name: use letters, digits, '.', '_' and '-' (at most 100)")
        }
        return try await runtime.database.transaction { connection in
            // Serialize writers of one name so versions never collide.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(name)))", logger: runtime.logger)
            let rows = try await connection.query("""
                INSERT INTO definitions (name, version, body)
                SELECT \(name), coalesce(max(version), 0) + 1, \(body)::jsonb FROM definitions WHERE name = \(name)
                RETURNING version, body::text, created_at
                """, logger: runtime.logger)
            for try await (version, stored, created) in rows.decode((Int, String, Date).self) {
                return StoredDefinition(name: name, version: version, body: stored, createdAt: created)
            }
            throw SluiceError.transient("\(kind).store-failed", "storing \(kind) \(name) returned nothing")
        }
    }

    /// A version of `name` (the latest when `version` is nil). Inside a transaction, pass its
    /// connection: taking a second one from the pool while holding one can exhaust the pool.
    public func get(name: String, version: Int? = nil, on connection: PostgresConnection? = nil) async throws -> StoredDefinition? {
        let rows = try await query(on: connection, """
            SELECT version, body::text, created_at FROM definitions
            WHERE name = \(name) AND (\(version)::integer IS NULL OR version = \(version))
            ORDER BY version DESC LIMIT 1
            """)
        for try await (v, body, created) in rows.decode((Int, String, Date).self) {
            return StoredDefinition(name: name, version: v, body: body, createdAt: created)
        }
        return nil
    }

    /// The latest version of every definition.
    public func list() async throws -> [StoredDefinition] {
        let rows = try await runtime.database.query("""
            SELECT DISTINCT ON (name) name, version, body::text, created_at FROM definitions ORDER BY name, version DESC
            """, logger: runtime.logger)
        var result: [StoredDefinition] = []
        for try await (name, version, body, created) in rows.decode((String, Int, String, Date).self) {
            result.append(StoredDefinition(name: name, version: version, body: body, createdAt: created))
        }
        return result
    }

    /// Resolves `name` or `name@version` for a job, pinning the version on first use (on
    /// `connection` when the caller is inside a transaction).
    public func resolve(_ reference: String, jobId: String, on connection: PostgresConnection? = nil) async throws
        -> StoredDefinition {
        let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
        let name = parts[0]
        var version = parts.count == 2 ? Int(parts[1]) : nil
        if parts.count == 2, version == nil {
            throw SluiceError.permanent("\(kind).invalid-reference", "'\(reference)' should be NAME or NAME@VERSION")
        }
        if version == nil {
            let pinned = try await query(on: connection, """
                INSERT INTO definition_pins (job_id, name, version)
                SELECT \(jobId), \(name), max(version) FROM definitions WHERE name = \(name) HAVING max(version) IS NOT NULL
                ON CONFLICT (job_id) DO UPDATE SET job_id = EXCLUDED.job_id
                RETURNING version
                """)
            for try await v in pinned.decode(Int.self) { version = v }
        }
        guard let version, let found = try await get(name: name, version: version, on: connection) else {
            throw SluiceError.permanent("\(kind).not-found",
                "there is no stored \(kind) '\(reference)'; store it first (sluice \(kind)s put \(name) FILE)")
        }
        return found
    }

    private func query(on connection: PostgresConnection?, _ query: PostgresQuery) async throws -> PostgresRowSequence {
        if let connection { return try await connection.query(query, logger: runtime.logger) }
        return try await runtime.database.query(query, logger: runtime.logger)
    }
}
