import APIModels
import Foundation
import Hosting
import Hummingbird

extension AccountRoutes {
    /// Own tokens for everyone; everyone's for admins (`?all=true`, `?user=NAME`).
    func addTokens() {
        api.add("listTokens") { request, _, access in
            let caller = try access.user
            var userId: String? = caller.userId
            if try request.flag("all") || request.query("user") != nil {
                try caller.require(.usersRead)
                userId = nil
                if let name = request.query("user") {
                    guard let user = try await identity.user(id: name) else { throw Problem.notFound("user \(name)") }
                    userId = user.id
                }
            }
            let kind = try request.query("kind").map { text in
                guard let kind = APIToken.Kind(rawValue: text) else {
                    throw Problem.badRequest("request.invalid-parameter", "kind is api or session")
                }
                return kind
            }
            return HTTPResponses.json(try await tokens.list(userId: userId, kind: kind,
                                                            revoked: try request.flag("revoked")))
        }
        api.add("createToken") { request, _, access in
            let caller = try access.user
            let body = try await BodyReader.decode(NewToken.self, request, limit: 64 << 10)
            let name = body.name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 200 else {
                throw Problem.badRequest("gateway.invalid-token-request", "give the token a name (at most 200 characters)")
            }
            var role = caller.role
            if let asked = body.role {
                guard let value = Role(rawValue: asked) else {
                    throw Problem.badRequest("gateway.invalid-role", "role is admin, operator, member or viewer")
                }
                guard value <= caller.role else {
                    throw Problem(.forbidden, "gateway.token-role-too-high", "a token cannot have more power than you (\(caller.role.rawValue))")
                }
                role = value
            }
            if let projects = body.projects, let allowed = caller.projects, !Set(projects).isSubset(of: allowed) {
                throw Problem(.forbidden, "gateway.token-projects", "a token can only reach projects you are in")
            }
            let days = body.expiresInDays ?? settings.tokenDefaultDays
            guard (1...settings.tokenMaxDays).contains(days) else {
                throw Problem.badRequest("gateway.invalid-token-request", "expiresInDays must be 1 to \(settings.tokenMaxDays)")
            }
            let issued = try await tokens.issue(kind: .api, userId: caller.userId, userName: caller.userName, name: name,
                                                role: role, projects: body.projects ?? caller.projects.map { $0.sorted() },
                                                lifetime: TimeInterval(days) * 86_400)
            access.target(issued.info.id)
            return HTTPResponses.json(issued, status: .created)
        }
        api.add("revokeToken") { _, context, access in
            let caller = try access.user
            let id = try context.path("token")
            guard let owner = try await tokens.owner(tokenId: id),
                  owner == caller.userId || Permission.usersWrite.allows(caller.role) else {
                throw Problem.notFound("token \(id)")
            }
            _ = try await tokens.revoke(tokenId: id)
            return Response(status: .noContent)
        }
    }
}
