import APIModels
import ArgumentParser
import Catalog
import Contracts
import Foundation
import Logging

/// `sluice users bootstrap|add|list|disable|enable`: accounts, through the gateway (admins);
/// `bootstrap` makes the first admin straight in the database, on the server host.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage user accounts (admins).",
        subcommands: [Bootstrap.self, Add.self, List.self, Disable.self, Enable.self])

    struct Bootstrap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the first admin (on the server host; only while no admin exists).")
        @Argument(help: "The user name.") var name: String
        @Option(help: "The admin's email address.") var email: String
        @Flag(help: "Read the password from standard input (one line).") var passwordStdin = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let password = try LoginCommand.password(fromStdin: passwordStdin)
                let config = try ServiceCatalog.config("gateway", values: try global.values())
                do {
                    let user = try await ServiceCatalog.bootstrapAdmin(config: config, name: name, email: email,
                                                                       password: password,
                                                                       logger: Logger(label: "sluice.users"))
                    writeLine("Admin \(user.name) created; sign in with: sluice login --user \(user.name)")
                } catch let error as SluiceError {
                    throw CLIError(code: ExitCodes.usage, message: "\(error.code): \(error.message)")
                } catch {
                    throw CLIError(code: ExitCodes.unavailable, message: "cannot reach the database: \(error)")
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user.")
        @Argument(help: "The user name.") var name: String
        @Option(help: "Email address.") var email: String
        @Option(help: "admin, operator, member or viewer.") var role: String = "member"
        @Option(help: "A project the user joins (repeatable).") var project: [String] = []
        @Flag(help: "Set a first password, read from standard input.") var passwordStdin = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let password = passwordStdin ? try LoginCommand.password(fromStdin: true) : nil
                let user = try await APIClient(global: global).send(UserAccount.self, "POST", "/users", body: NewUser(
                    name: name, email: email, role: role, projects: project, password: password))
                if json { return try HTTPJSON.print(user) }
                writeLine("\(user.name) (\(user.role)) added, id \(user.id)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let users = try await APIClient(global: global).get([UserAccount].self, "/users")
                if json { return try HTTPJSON.print(users) }
                print(Table.render(users.map { user in
                    [user.name, user.email, user.role, user.projects.joined(separator: ","), user.verified ? "yes" : "no",
                     user.disabled ? "disabled" : "active"]
                }, header: ["USER", "EMAIL", "ROLE", "PROJECTS", "VERIFIED", "STATE"]))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user (their sessions and tokens stop working).")
        @Argument(help: "The user name.") var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                _ = try await APIClient(global: global).send(UserAccount.self, "PATCH", "/users/" + APIClient.escape(name),
                                                             body: UserChange(disabled: true))
                writeLine("\(name) disabled")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user.")
        @Argument(help: "The user name.") var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                _ = try await APIClient(global: global).send(UserAccount.self, "PATCH", "/users/" + APIClient.escape(name),
                                                             body: UserChange(disabled: false))
                writeLine("\(name) enabled")
            }
        }
    }
}
