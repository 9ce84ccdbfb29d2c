import APIModels
import Foundation
import PostgresNIO
import Runtime

/// The gateway's audit log: every mutating request, with the authenticated actor, the
/// operation, its target and the status answered (refusals included).
struct AuditRepository {
    let runtime: RuntimeContext

    func record(actor: String, action: String, target: String?, project: String?, status: Int,
                address: String?) async throws {
        _ = try await runtime.database.query("""
            INSERT INTO audit (actor, action, target, project, status, address)
            VALUES (\(actor), \(action), \(target), \(project), \(status), \(address))
            """, logger: runtime.logger)
    }

    /// Entries newest first, before `before` (an id cursor), filtered by actor, action, target.
    func list(actor: String?, action: String?, target: String?, before: Int?, limit: Int) async throws -> [AuditRecord] {
        let rows = try await runtime.database.query("""
            SELECT id, at, actor, action, target, project, status, address FROM audit
            WHERE (\(actor)::text IS NULL OR actor = \(actor)) AND (\(action)::text IS NULL OR action = \(action))
              AND (\(target)::text IS NULL OR target = \(target)) AND (\(before)::bigint IS NULL OR id < \(before))
            ORDER BY id DESC LIMIT \(limit)
            """, logger: runtime.logger)
        var result: [AuditRecord] = []
        for try await r in rows.decode((Int, Date, String, String, String?, String?, Int, String?).self) {
            result.append(AuditRecord(id: r.0, at: r.1, actor: r.2, action: r.3, target: r.4, project: r.5, status: r.6,
                                      address: r.7))
        }
        return result
    }
}
