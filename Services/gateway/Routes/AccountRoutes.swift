import APIModels
import Contracts
import Foundation
import Hosting
import Hummingbird
import NIOPosix
import Runtime

/// Sign-in and sign-out, the caller's profile and password, and API tokens.
struct AccountRoutes {
    let api: GatewayAPI
    let settings: GatewaySettings
    let identity: IdentityRepository
    let tokens: TokenRepository
    let throttle: Throttle
    /// Verified against when the account is unknown, so the answer takes as long either way.
    let decoyHash: String

    func add() {
        api.add("signIn") { request, context, access in
            let body = try await BodyReader.decode(SignInRequest.self, request, limit: 64 << 10)
            return HTTPResponses.json(try await signIn(body, address: context.remoteAddress?.ipAddress ?? "unknown",
                                                       access: access), status: .created)
        }
        api.add("signOut") { _, _, access in
            let caller = try access.user
            _ = try await tokens.revoke(tokenId: caller.tokenId)
            access.target(caller.tokenId)
            return Response(status: .noContent)
        }
        api.add("getProfile") { _, _, access in
            let caller = try access.user
            guard let user = try await identity.user(id: caller.userId) else { throw Problem.unauthorized() }
            return HTTPResponses.json(Profile(user: user, role: caller.role.rawValue,
                                              projects: caller.projects.map { $0.sorted() } ?? user.projects,
                                              allProjects: caller.projects == nil, tokenKind: caller.kind.rawValue))
        }
        api.add("changePassword") { request, _, access in
            let caller = try access.user
            let body = try await BodyReader.decode(PasswordChange.self, request, limit: 64 << 10)
            guard let found = try await identity.credentials(login: caller.userName),
                  try await verify(body.current, found.passwordHash) else {
                throw Problem(.forbidden, "auth.wrong-password", "the current password is wrong")
            }
            try Passwords.check(body.new)
            try await identity.setPasswordHash(userId: caller.userId, hash: try await hash(body.new))
            return Response(status: .noContent)
        }
        addTokens()
    }

    private func signIn(_ body: SignInRequest, address: String, access: Access) async throws -> IssuedToken {
        let account = Throttle.accountKey(body.user), place = Throttle.addressKey(address)
        if let seconds = try await throttle.lockedFor([account, place]) {
            throw Problem(.tooManyRequests, "auth.throttled",
                          "too many failed sign-ins; try again in \(seconds) s (docs/access.md#sign-in-throttling)",
                          retryAfter: seconds)
        }
        let found = try await identity.credentials(login: body.user)
        let matches = try await verify(body.password, found?.passwordHash ?? decoyHash) && found?.passwordHash != nil
        guard let found, matches, !found.account.disabled else {
            try await throttle.record(account: account, address: place)
            throw Problem(.unauthorized, "auth.invalid-credentials", "the user or the password is wrong")
        }
        try await throttle.clear(account: account)
        let role = Role(rawValue: found.account.role) ?? .viewer
        if !found.account.verified && role < .operator {
            throw Problem(.forbidden, "auth.unverified",
                          "your email address is not confirmed yet: ask an admin to confirm it")
        }
        if let stored = found.passwordHash, settings.hasher.needsRehash(stored) {
            try await identity.setPasswordHash(userId: found.account.id, hash: try await hash(body.password))
        }
        access.target(found.account.name)
        return try await tokens.issue(kind: .session, userId: found.account.id, userName: found.account.name,
                                      name: "sign-in from \(address)", role: role, projects: nil,
                                      lifetime: TimeInterval(settings.sessionSeconds))
    }

    /// Argon2 on NIO's blocking pool, never on an event loop.
    func hash(_ password: String) async throws -> String {
        let hasher = settings.hasher
        return try await NIOThreadPool.singleton.runIfActive { try hasher.hash(password) }
    }

    func verify(_ password: String, _ encoded: String?) async throws -> Bool {
        let hasher = settings.hasher, encoded = encoded ?? decoyHash
        return try await NIOThreadPool.singleton.runIfActive { hasher.verify(password, against: encoded) }
    }
}

/// `GET /api/v1/me`.
struct Profile: Codable, Sendable {
    var user: UserAccount
    /// The role this token acts with.
    var role: String
    /// The projects this token reaches.
    var projects: [String]
    /// Whether it reaches every project (admins and operators).
    var allProjects: Bool
    var tokenKind: String
}
