import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// The dataset catalog in the gateway's schema (table `datasets`): named entries per
/// project, each a source and how to process it (docs/datasets.md).
struct DatasetRepository {
    let runtime: RuntimeContext
    let connection: PostgresConnection?

    init(runtime: RuntimeContext, connection: PostgresConnection? = nil) {
        self.runtime = runtime
        self.connection = connection
    }

    @discardableResult
    private func run(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        if let connection { return try await connection.query(query, logger: runtime.logger) }
        return try await runtime.database.query(query, logger: runtime.logger)
    }

    /// Adds `entry`; false if the project has a dataset of that name.
    func add(_ entry: DatasetEntry, project: String, by user: String, at: Date) async throws -> Bool {
        let (body, tags) = try Self.encode(entry)
        for try await _ in try await run("""
            INSERT INTO datasets (project, name, entry, tags, created_by, created_at, updated_by, updated_at)
            VALUES (\(project), \(entry.name), \(body)::jsonb, \(tags)::jsonb, \(user), \(at), \(user), \(at))
            ON CONFLICT (project, name) DO NOTHING RETURNING 1
            """) { return true }
        return false
    }

    /// Replaces the entry of an existing dataset; false if there is none.
    func replace(_ entry: DatasetEntry, project: String, by user: String, at: Date) async throws -> Bool {
        let (body, tags) = try Self.encode(entry)
        for try await _ in try await run("""
            UPDATE datasets SET entry = \(body)::jsonb, tags = \(tags)::jsonb, updated_by = \(user), updated_at = \(at)
            WHERE project = \(project) AND name = \(entry.name) RETURNING 1
            """) { return true }
        return false
    }

    /// Removes a dataset (its jobs stay); false if there was none.
    func remove(project: String, name: String) async throws -> Bool {
        for try await _ in try await run("DELETE FROM datasets WHERE project = \(project) AND name = \(name) RETURNING 1") {
            return true
        }
        return false
    }

    func find(project: String, name: String) async throws -> Dataset? {
        try await datasets("\(unescaped: Self.select) WHERE project = \(project) AND name = \(name)").first
    }

    /// The project's datasets with all `tags` (and among `names`, when given), by name.
    func list(project: String, tags: [String: String], names: [String]? = nil) async throws -> [Dataset] {
        let filter = String(decoding: try JSONCoding.encoder().encode(tags), as: UTF8.self)
        return try await datasets("""
            \(unescaped: Self.select) WHERE project = \(project) AND tags @> \(filter)::jsonb
              AND (\(names)::text[] IS NULL OR name = ANY(\(names)))
            ORDER BY name
            """)
    }

    private static let select = """
        SELECT project, name, entry::text, created_by, created_at, updated_by, updated_at FROM datasets
        """

    private func datasets(_ query: PostgresQuery) async throws -> [Dataset] {
        var result: [Dataset] = []
        for try await r in try await run(query).decode((String, String, String, String, Date, String, Date).self) {
            let entry = try JSONCoding.decode(DatasetEntry.self, from: Array(r.2.utf8))
            result.append(Dataset(key: "\(r.0)/\(r.1)", project: r.0, entry: entry, createdBy: r.3, createdAt: r.4,
                                  updatedBy: r.5, updatedAt: r.6))
        }
        return result
    }

    private static func encode(_ entry: DatasetEntry) throws -> (String, String) {
        (String(decoding: try JSONCoding.encode(entry), as: UTF8.self),
         String(decoding: try JSONCoding.encoder().encode(entry.tags ?? [:]), as: UTF8.self))
    }
}
