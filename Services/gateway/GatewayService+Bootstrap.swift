import APIModels
import Contracts
import Foundation
import Hosting
import Logging
import PostgresNIO
import Storage

extension GatewayService {
    /// `sluice users bootstrap`: makes the first admin, straight in the gateway's schema (so
    /// it works on the server host before anyone can sign in). Refused once an admin exists.
    public static func bootstrapAdmin(config: RuntimeConfig, name: String, email: String, password: String,
                                      logger: Logger) async throws -> UserAccount {
        let settings = try GatewaySettings(config: config)
        guard name.range(of: AdminRoutes.userName, options: .regularExpression) != nil else {
            throw SluiceError.permanent("gateway.invalid-user", "a user name is 1–64 letters, digits, '.', '_', '@' and '-'")
        }
        do {
            try AdminRoutes.checkEmail(email)
            try Passwords.check(password)
        } catch let problem as Problem {
            throw SluiceError.permanent(problem.code, problem.detail)
        }
        let hash = try settings.hasher.hash(password)
        let database = Database(config: config.database, logger: logger)
        return try await withThrowingTaskGroup(of: UserAccount?.self) { group in
            group.addTask {
                try await database.run()
                return nil
            }
            defer { group.cancelAll() }
            _ = try await Migrator.migrate(database, [.runtime, GatewayMigrations.all], logger: logger)
            let identity = IdentityRepository(database: database, logger: logger)
            let user = UserAccount(id: "usr_" + MessageID.random(), name: name, email: email, role: Role.admin.rawValue,
                                   projects: [], verified: true, disabled: false, createdAt: Date())
            do {
                try await identity.insertFirstAdmin(user, passwordHash: hash)
            } catch let problem as Problem {
                throw SluiceError.permanent(problem.code, problem.detail)
            }
            return try await identity.user(id: user.id) ?? user
        }
    }
}
