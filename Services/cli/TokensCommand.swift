import APIModels
import ArgumentParser
import Foundation

/// `sluice tokens create|list|revoke`: API tokens for scripts and producers.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a token; prints it alone (it is shown once).")
        @Argument(help: "What the token is for.") var name: String
        @Option(help: "Its role (at most yours).") var role: String?
        @Option(help: "Limit it to a project (repeatable).") var project: [String] = []
        @Option(help: "Days until it expires.") var days: Int?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let issued = try await APIClient(global: global).send(IssuedToken.self, "POST", "/tokens", body: NewToken(
                    name: name, role: role, projects: project.isEmpty ? nil : project, expiresInDays: days))
                writeLine(issued.token)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List your tokens (admins: --all).")
        @Flag(help: "Everyone's tokens (admins).") var all = false
        @Flag(help: "Include revoked ones.") var revoked = false
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let tokens = try await APIClient(global: global).get([TokenInfo].self, "/tokens", query: [
                    ("all", all ? "true" : nil), ("revoked", revoked ? "true" : nil)])
                if json { return try HTTPJSON.print(tokens) }
                print(Table.render(tokens.map { token in
                    [token.id, token.user, token.kind, token.name, token.hint, token.role,
                     token.projects?.joined(separator: ",") ?? "*", APIClient.time(token.expiresAt),
                     APIClient.time(token.lastUsedAt), token.revokedAt == nil ? "" : "revoked"]
                }, header: ["ID", "USER", "KIND", "NAME", "HINT", "ROLE", "PROJECTS", "EXPIRES", "LAST USED", "STATE"]))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token (it stops working at once).")
        @Argument(help: "The token id (tok_…).") var id: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                try await APIClient(global: global).call("DELETE", "/tokens/" + APIClient.escape(id))
                writeLine("\(id) revoked")
            }
        }
    }
}
