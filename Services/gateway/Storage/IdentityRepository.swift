import APIModels
import Contracts
import Foundation
import PostgresNIO
import Logging
import Runtime
import Storage

/// Users, projects and memberships (schema `gateway`).
struct IdentityRepository {
    let database: Database
    let logger: Logger

    init(runtime: RuntimeContext) {
        database = runtime.database
        logger = runtime.logger
    }

    init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// What sign-in needs about a user: the account and its password hash.
    struct Credentials: Sendable {
        var account: UserAccount
        var passwordHash: String?
    }

    private static let userColumns = """
        u.id, u.name, u.email, u.role, u.verified, u.disabled, u.created_at, u.password_hash,
        ARRAY(SELECT m.project_id FROM memberships m WHERE m.user_id = u.id ORDER BY m.project_id)
        """

    private func users(_ query: PostgresQuery, on connection: PostgresConnection? = nil) async throws -> [Credentials] {
        let rows = if let connection { try await connection.query(query, logger: logger) } else {
            try await database.query(query, logger: logger)
        }
        var result: [Credentials] = []
        for try await r in rows.decode((String, String, String, String, Bool, Bool, Date, String?, [String]).self) {
            result.append(Credentials(account: UserAccount(id: r.0, name: r.1, email: r.2, role: r.3, projects: r.8,
                                                           verified: r.4, disabled: r.5, createdAt: r.6),
                                      passwordHash: r.7))
        }
        return result
    }

    /// The user whose name or email address is `login` (case-insensitive email).
    func credentials(login: String) async throws -> Credentials? {
        try await users("""
            SELECT \(unescaped: Self.userColumns) FROM users u
            WHERE u.name = \(login) OR lower(u.email) = lower(\(login)) LIMIT 1
            """).first
    }

    func user(id: String, on connection: PostgresConnection? = nil) async throws -> UserAccount? {
        try await users("SELECT \(unescaped: Self.userColumns) FROM users u WHERE u.id = \(id) OR u.name = \(id)",
                        on: connection).first?.account
    }

    func listUsers() async throws -> [UserAccount] {
        try await users("SELECT \(unescaped: Self.userColumns) FROM users u ORDER BY u.name").map(\.account)
    }

    /// The user whose email address is `email` (case-insensitive), if any.
    func account(email: String) async throws -> UserAccount? {
        try await users("SELECT \(unescaped: Self.userColumns) FROM users u WHERE lower(u.email) = lower(\(email))").first?.account
    }

    /// Inserts the first admin, unless an admin exists (`gateway.admin-exists`); the table lock
    /// serializes concurrent bootstraps, so only the first sees no admin.
    func insertFirstAdmin(_ user: UserAccount, passwordHash: String) async throws {
        try await database.transaction { connection in
            _ = try await connection.query("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            for try await _ in try await connection.query("SELECT 1 FROM users WHERE role = 'admin' LIMIT 1", logger: logger) {
                throw SluiceError.permanent("gateway.admin-exists",
                    "an admin exists already: sign in as them and add users with `sluice users add`")
            }
            try await insert(user, passwordHash: passwordHash, on: connection)
        }
    }

    /// A code confirmed the address: verified, and with a reset's new password hash.
    func confirmed(userId: String, passwordHash: String?, on connection: PostgresConnection) async throws {
        _ = try await connection.query("""
            UPDATE users SET password_hash = coalesce(\(passwordHash), password_hash), verified = true, updated_at = now()
            WHERE id = \(userId)
            """, logger: logger)
    }

    /// Inserts a user; a taken name or email is `gateway.user-exists` (409).
    func insert(_ user: UserAccount, passwordHash: String?, on connection: PostgresConnection) async throws {
        do {
            try await connection.query("""
                INSERT INTO users (id, name, email, role, password_hash, verified)
                VALUES (\(user.id), \(user.name), \(user.email), \(user.role), \(passwordHash), \(user.verified))
                """, logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw Problem(.conflict, "gateway.user-exists", "a user with the name \(user.name) or the email \(user.email) exists")
        }
        try await setProjects(userId: user.id, projects: user.projects, on: connection)
    }

    func setProjects(userId: String, projects: [String], on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM memberships WHERE user_id = \(userId)", logger: logger)
        for project in Set(projects) {
            do {
                try await connection.query("INSERT INTO memberships (user_id, project_id) VALUES (\(userId), \(project))",
                                           logger: logger)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
                throw Problem(.badRequest, "gateway.unknown-project", "there is no project \(project)")
            }
        }
    }

    func update(userId: String, email: String?, role: String?, disabled: Bool?, verified: Bool?,
                on connection: PostgresConnection) async throws {
        do {
            try await connection.query("""
                UPDATE users SET email = coalesce(\(email), email), role = coalesce(\(role), role),
                    disabled = coalesce(\(disabled), disabled), verified = coalesce(\(verified), verified),
                    updated_at = now() WHERE id = \(userId)
                """, logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw Problem(.conflict, "gateway.user-exists", "another user has the email \(email ?? "")")
        }
    }

    func setPasswordHash(userId: String, hash: String) async throws {
        _ = try await database.query("UPDATE users SET password_hash = \(hash), updated_at = now() WHERE id = \(userId)",
                                         logger: logger)
    }

    // MARK: Projects

    private func projects(_ query: PostgresQuery) async throws -> [Project] {
        var result: [Project] = []
        for try await r in try await database.query(query, logger: logger)
            .decode((String, String, String?, Date).self) {
            result.append(Project(id: r.0, name: r.1, description: r.2, createdAt: r.3))
        }
        return result
    }

    /// Every project, or those in `only`.
    func listProjects(only: Set<String>?) async throws -> [Project] {
        let ids = only.map { Array($0) }
        return try await projects("""
            SELECT id, name, description, created_at FROM projects
            WHERE \(ids)::text[] IS NULL OR id = ANY(\(ids)) ORDER BY id
            """)
    }

    func project(_ id: String) async throws -> Project? {
        try await projects("SELECT id, name, description, created_at FROM projects WHERE id = \(id)").first
    }

    func insert(_ project: Project) async throws {
        do {
            _ = try await database.query("""
                INSERT INTO projects (id, name, description) VALUES (\(project.id), \(project.name), \(project.description))
                """, logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw Problem(.conflict, "gateway.project-exists", "there is already a project \(project.id)")
        }
    }

    func addMember(userId: String, project: String) async throws {
        _ = try await database.query("""
            INSERT INTO memberships (user_id, project_id) VALUES (\(userId), \(project)) ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    func removeMember(userId: String, project: String) async throws -> Bool {
        let rows = try await database.query("""
            DELETE FROM memberships WHERE user_id = \(userId) AND project_id = \(project) RETURNING 1
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }
}
