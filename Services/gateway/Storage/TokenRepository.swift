import APIModels
import Foundation
import PostgresNIO
import Runtime

/// API tokens and sign-in sessions, stored as SHA-256 hashes only.
struct TokenRepository {
    let runtime: RuntimeContext

    /// One lookup of a presented token, with its user.
    struct Lookup: Sendable {
        var tokenId: String
        var kind: APIToken.Kind
        var tokenRole: Role
        var tokenProjects: [String]?
        var expiresAt: Date
        var lastUsedAt: Date?
        var userId: String
        var userName: String
        var userRole: Role
        var disabled: Bool
        var memberships: [String]
    }

    /// The live (unrevoked) token whose hash is `hash`, with its user; one indexed query.
    func lookup(hash: String) async throws -> Lookup? {
        let rows = try await runtime.database.query("""
            SELECT t.id, t.kind, t.role, t.projects, t.expires_at, t.last_used_at, u.id, u.name, u.role, u.disabled,
                   ARRAY(SELECT m.project_id FROM memberships m WHERE m.user_id = u.id)
            FROM tokens t JOIN users u ON u.id = t.user_id
            WHERE t.hash = \(hash) AND t.revoked_at IS NULL
            """, logger: runtime.logger)
        for try await r in rows.decode((String, String, String, [String]?, Date, Date?, String, String, String, Bool,
                                        [String]).self) {
            guard let kind = APIToken.Kind(rawValue: r.1), let tokenRole = Role(rawValue: r.2),
                  let userRole = Role(rawValue: r.8) else { return nil }
            return Lookup(tokenId: r.0, kind: kind, tokenRole: tokenRole, tokenProjects: r.3, expiresAt: r.4,
                          lastUsedAt: r.5, userId: r.6, userName: r.7, userRole: userRole, disabled: r.9,
                          memberships: r.10)
        }
        return nil
    }

    /// Records use to the minute: at most one write per token per minute, off the hot path's
    /// critical work.
    func touch(tokenId: String) async throws {
        _ = try await runtime.database.query("""
            UPDATE tokens SET last_used_at = now()
            WHERE id = \(tokenId) AND (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')
            """, logger: runtime.logger)
    }

    /// Stores a new token for `userId` and returns the secret with its description.
    func issue(kind: APIToken.Kind, userId: String, userName: String, name: String, role: Role, projects: [String]?,
               lifetime: TimeInterval) async throws -> IssuedToken {
        let token = APIToken.generate(kind)
        let id = "tok_" + String(APIToken.generate(.api).secret.dropFirst(4).prefix(16))
        let expires = Date().addingTimeInterval(lifetime)
        let rows = try await runtime.database.query("""
            INSERT INTO tokens (id, user_id, kind, name, hash, hint, role, projects, expires_at)
            VALUES (\(id), \(userId), \(kind.rawValue), \(name), \(APIToken.hash(token.secret)),
                    \(APIToken.hint(token.secret)), \(role.rawValue), \(projects), \(expires))
            RETURNING created_at
            """, logger: runtime.logger)
        var created = Date()
        for try await (at) in rows.decode(Date.self) { created = at }
        return IssuedToken(token: token.secret, info: TokenInfo(
            id: id, user: userName, kind: kind.rawValue, name: name, hint: APIToken.hint(token.secret), role: role.rawValue,
            projects: projects, createdAt: created, expiresAt: expires, lastUsedAt: nil, revokedAt: nil))
    }

    /// Tokens of `userId` (nil: everyone's), newest first; revoked ones only if `revoked`.
    func list(userId: String?, kind: APIToken.Kind?, revoked: Bool) async throws -> [TokenInfo] {
        let rows = try await runtime.database.query("""
            SELECT t.id, u.name, t.kind, t.name, t.hint, t.role, t.projects, t.created_at, t.expires_at, t.last_used_at,
                   t.revoked_at
            FROM tokens t JOIN users u ON u.id = t.user_id
            WHERE (\(userId)::text IS NULL OR t.user_id = \(userId)) AND (\(kind?.rawValue)::text IS NULL OR t.kind = \(kind?.rawValue))
              AND (\(revoked) OR t.revoked_at IS NULL)
            ORDER BY t.created_at DESC LIMIT 1000
            """, logger: runtime.logger)
        var result: [TokenInfo] = []
        for try await r in rows.decode((String, String, String, String, String, String, [String]?, Date, Date, Date?,
                                        Date?).self) {
            result.append(TokenInfo(id: r.0, user: r.1, kind: r.2, name: r.3, hint: r.4, role: r.5, projects: r.6,
                                    createdAt: r.7, expiresAt: r.8, lastUsedAt: r.9, revokedAt: r.10))
        }
        return result
    }

    /// The owner of token `id`, if it exists.
    func owner(tokenId: String) async throws -> String? {
        for try await (user) in try await runtime.database.query("SELECT user_id FROM tokens WHERE id = \(tokenId)",
                                                                   logger: runtime.logger).decode(String.self) {
            return user
        }
        return nil
    }

    /// Revokes one token; true if it was live.
    func revoke(tokenId: String) async throws -> Bool {
        let rows = try await runtime.database.query("""
            UPDATE tokens SET revoked_at = now() WHERE id = \(tokenId) AND revoked_at IS NULL RETURNING 1
            """, logger: runtime.logger)
        for try await _ in rows { return true }
        return false
    }

    /// Revokes every live token and session of a user (password reset, disabling).
    func revokeAll(userId: String, on connection: PostgresConnection? = nil) async throws {
        let query: PostgresQuery = "UPDATE tokens SET revoked_at = now() WHERE user_id = \(userId) AND revoked_at IS NULL"
        if let connection { try await connection.query(query, logger: runtime.logger) } else {
            _ = try await runtime.database.query(query, logger: runtime.logger)
        }
    }
}
