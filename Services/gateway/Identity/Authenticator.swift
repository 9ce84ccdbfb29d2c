import Foundation
import Hummingbird
import Runtime

/// Turns `Authorization: Bearer <token>` (or `Token <token>`, the form the control room's
/// scripts send) into a ``Caller``. One indexed lookup per request and no password hashing:
/// tokens are checked by format and checksum first, then by their SHA-256. Revocation, expiry
/// and disabling take effect on the next request (nothing is cached).
struct Authenticator: Sendable {
    let tokens: TokenRepository

    func authenticate(_ request: Request) async throws -> Caller {
        guard let header = request.headers[.authorization] else { throw Problem.unauthorized() }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, ["bearer", "token"].contains(parts[0].lowercased()) else {
            throw Problem(.unauthorized, "auth.unsupported-scheme", "send Authorization: Bearer <token> (or Token <token>)")
        }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        guard APIToken.kind(of: secret) != nil else {
            throw Problem(.unauthorized, "auth.invalid-token", "the token is malformed (mistyped or cut short?)")
        }
        guard let found = try await tokens.lookup(hash: APIToken.hash(secret)) else {
            throw Problem(.unauthorized, "auth.invalid-token", "the token is unknown or was revoked: sign in again")
        }
        guard found.expiresAt > Date() else {
            throw Problem(.unauthorized, "auth.token-expired", "the token expired at \(found.expiresAt): sign in or make a new one")
        }
        guard !found.disabled else {
            throw Problem(.unauthorized, "auth.user-disabled", "the account \(found.userName) is disabled")
        }
        if found.lastUsedAt.map({ Date().timeIntervalSince($0) >= 60 }) ?? true {
            try await tokens.touch(tokenId: found.tokenId)
        }
        let (role, projects) = Caller.scope(userRole: found.userRole, tokenRole: found.tokenRole,
                                            memberships: found.memberships, tokenProjects: found.tokenProjects)
        return Caller(userId: found.userId, userName: found.userName, role: role, projects: projects,
                      tokenId: found.tokenId, kind: found.kind)
    }
}
