import APIModels
import Contracts
import Foundation
import PostgresNIO
import Runtime

/// The known-error catalog (`known_errors`).
struct KnownErrorRepository {
    let runtime: RuntimeContext

    /// Stores the shipped rules that are not there yet, so an operator's edits are kept.
    /// (Built-in rules cannot be deleted, only disabled, or they would come back here.)
    func seed(_ rules: [KnownErrorRule]) async throws {
        try await runtime.database.transaction { connection in
            for rule in rules { _ = try await insert(rule, on: connection) }
        }
    }

    /// Inserts a rule; false if its id exists.
    func insert(_ rule: KnownErrorRule, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("""
            INSERT INTO known_errors (id, error_pattern, error_type_pattern, service_pattern, message_type_pattern, severity,
                title, root_cause, action, runbook, priority, enabled, builtin, version)
            VALUES (\(rule.id), \(rule.errorPattern), \(rule.errorTypePattern), \(rule.servicePattern),
                \(rule.messageTypePattern), \(rule.severity), \(rule.title), \(rule.rootCause), \(rule.action),
                \(rule.runbook), \(rule.priority), \(rule.enabled), \(rule.builtin), 1)
            ON CONFLICT (id) DO NOTHING RETURNING 1
            """, logger: runtime.logger)
        for try await _ in rows { return true }
        return false
    }

    /// Replaces a rule's content, bumping its version; returns the stored rule.
    func update(_ rule: KnownErrorRule, on connection: PostgresConnection) async throws -> KnownErrorRule? {
        let rows = try await connection.query("""
            UPDATE known_errors SET error_pattern = \(rule.errorPattern), error_type_pattern = \(rule.errorTypePattern),
                service_pattern = \(rule.servicePattern), message_type_pattern = \(rule.messageTypePattern),
                severity = \(rule.severity), title = \(rule.title), root_cause = \(rule.rootCause), action = \(rule.action),
                runbook = \(rule.runbook), priority = \(rule.priority), enabled = \(rule.enabled),
                version = version + 1, updated_at = now()
            WHERE id = \(rule.id)
            RETURNING \(unescaped: Self.columns)
            """, logger: runtime.logger)
        for try await row in rows { return try Self.decode(row) }
        return nil
    }

    func delete(_ id: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("DELETE FROM known_errors WHERE id = \(id) RETURNING 1", logger: runtime.logger)
        for try await _ in rows { return true }
        return false
    }

    static let columns = """
        id, error_pattern, error_type_pattern, service_pattern, message_type_pattern, severity, title, root_cause, action,
        runbook, priority, enabled, builtin, version
        """

    static func decode(_ row: PostgresRow) throws -> KnownErrorRule {
        let r = row.makeRandomAccess()
        return KnownErrorRule(
            id: try r["id"].decode(String.self), errorPattern: try r["error_pattern"].decode(String?.self),
            errorTypePattern: try r["error_type_pattern"].decode(String?.self),
            servicePattern: try r["service_pattern"].decode(String?.self),
            messageTypePattern: try r["message_type_pattern"].decode(String?.self),
            severity: try r["severity"].decode(String.self), title: try r["title"].decode(String.self),
            rootCause: try r["root_cause"].decode(String?.self), action: try r["action"].decode(String?.self),
            runbook: try r["runbook"].decode(String?.self), priority: try r["priority"].decode(Int.self),
            enabled: try r["enabled"].decode(Bool.self), builtin: try r["builtin"].decode(Bool.self),
            version: try r["version"].decode(Int.self))
    }

    func all(on connection: PostgresConnection) async throws -> [KnownErrorRule] {
        let rows = try await connection.query("""
            SELECT \(unescaped: Self.columns) FROM known_errors ORDER BY priority, id
            """, logger: runtime.logger)
        var result: [KnownErrorRule] = []
        for try await row in rows { result.append(try Self.decode(row)) }
        return result
    }

    func all() async throws -> [KnownErrorRule] {
        try await runtime.database.transaction { try await all(on: $0) }
    }

    /// The enabled rules, compiled. A stored rule whose pattern no longer compiles (it was
    /// checked when stored) is skipped rather than blocking every failure.
    func compiled(on connection: PostgresConnection) async throws -> [CompiledKnownError] {
        try await all(on: connection).filter(\.enabled).compactMap { try? $0.compiled() }
    }
}
