import APIModels
import Contracts
import Foundation
import Hosting
import Hummingbird
import Runtime

/// Users (admins only) and projects.
struct AdminRoutes {
    let api: GatewayAPI
    let runtime: RuntimeContext
    let identity: IdentityRepository
    let tokens: TokenRepository
    let accounts: AccountRoutes

    static let userName = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"
    static let projectId = "^[a-z0-9][a-z0-9-]{0,39}$"

    func add() {
        api.add("listUsers") { _, _, _ in HTTPResponses.json(try await identity.listUsers()) }
        api.add("getUser") { _, context, _ in
            let id = try context.path("user")
            guard let user = try await identity.user(id: id) else { throw Problem.notFound("user \(id)") }
            return HTTPResponses.json(user)
        }
        api.add("createUser") { request, _, access in
            let body = try await BodyReader.decode(NewUser.self, request, limit: 64 << 10)
            let user = try await create(body, verified: false)
            access.target(user.name)
            return HTTPResponses.json(user, status: .created)
        }
        api.add("updateUser") { request, context, access in
            let id = try context.path("user")
            let change = try await BodyReader.decode(UserChange.self, request, limit: 64 << 10)
            guard let user = try await identity.user(id: id) else { throw Problem.notFound("user \(id)") }
            if let role = change.role, Role(rawValue: role) == nil {
                throw Problem.badRequest("gateway.invalid-role", "role is admin, operator, member or viewer")
            }
            if let email = change.email { try Self.checkEmail(email) }
            if user.id == (try access.user).userId, change.disabled == true || change.role.map({ $0 != "admin" }) == true {
                throw Problem(.conflict, "gateway.self-demotion", "you cannot disable or demote yourself; ask another admin")
            }
            try await runtime.database.transaction { connection in
                try await identity.update(userId: user.id, email: change.email, role: change.role,
                                          disabled: change.disabled, verified: change.verified, on: connection)
                if let projects = change.projects {
                    try await identity.setProjects(userId: user.id, projects: projects, on: connection)
                }
                if change.disabled == true { try await tokens.revokeAll(userId: user.id, on: connection) }
            }
            access.target(user.name)
            return HTTPResponses.json(try await identity.user(id: user.id))
        }
        api.add("listProjects") { _, _, access in
            HTTPResponses.json(try await identity.listProjects(only: try access.user.projects))
        }
        api.add("createProject") { request, _, access in
            let body = try await BodyReader.decode(NewProject.self, request, limit: 64 << 10)
            guard body.id.range(of: Self.projectId, options: .regularExpression) != nil else {
                throw Problem.badRequest("gateway.invalid-project", "a project id is 1–40 lower-case letters, digits and '-'")
            }
            let project = Project(id: body.id, name: body.name ?? body.id, description: body.description, createdAt: Date())
            try await identity.insert(project)
            access.target(project.id)
            return HTTPResponses.json(try await identity.project(project.id) ?? project, status: .created)
        }
        api.add("getProject") { _, context, access in
            let id = try context.path("project")
            try access.enter(id, "project \(id)")
            guard let project = try await identity.project(id) else { throw Problem.notFound("project \(id)") }
            return HTTPResponses.json(project)
        }
        api.add("addProjectMember") { _, context, access in
            let (project, user) = try await member(context, access)
            try await identity.addMember(userId: user.id, project: project)
            return HTTPResponses.json(try await identity.user(id: user.id))
        }
        api.add("removeProjectMember") { _, context, access in
            let (project, user) = try await member(context, access)
            guard try await identity.removeMember(userId: user.id, project: project) else {
                throw Problem.notFound("member \(user.name) of project \(project)")
            }
            return Response(status: .noContent)
        }
    }

    private func member(_ context: SluiceRequestContext, _ access: Access) async throws -> (String, UserAccount) {
        let project = try context.path("project"), name = try context.path("user")
        try access.enter(project, "project \(project)")
        guard try await identity.project(project) != nil else { throw Problem.notFound("project \(project)") }
        guard let user = try await identity.user(id: name) else { throw Problem.notFound("user \(name)") }
        access.target("\(project)/\(user.name)")
        return (project, user)
    }

    /// Makes a user (the API's `createUser` and `sluice users bootstrap`).
    func create(_ body: NewUser, verified: Bool) async throws -> UserAccount {
        guard body.name.range(of: Self.userName, options: .regularExpression) != nil else {
            throw Problem.badRequest("gateway.invalid-user", "a user name is 1–64 letters, digits, '.', '_', '@' and '-'")
        }
        try Self.checkEmail(body.email)
        guard let role = Role(rawValue: body.role ?? "member") else {
            throw Problem.badRequest("gateway.invalid-role", "role is admin, operator, member or viewer")
        }
        if let password = body.password { try Passwords.check(password) }
        let hash: String? = if let password = body.password { try await accounts.hash(password) } else { nil }
        let user = UserAccount(id: "usr_" + MessageID.random(), name: body.name, email: body.email, role: role.rawValue,
                               projects: (body.projects ?? []).sorted(), verified: verified, disabled: false,
                               createdAt: Date())
        try await runtime.database.transaction { connection in
            try await identity.insert(user, passwordHash: hash, on: connection)
        }
        return try await identity.user(id: user.id) ?? user
    }

    static func checkEmail(_ email: String) throws {
        guard email.count <= 254, email.range(of: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", options: .regularExpression) != nil else {
            throw Problem.badRequest("gateway.invalid-email", "'\(email)' is not an email address")
        }
    }
}
