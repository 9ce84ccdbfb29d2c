import APIModels
import ArgumentParser
import Foundation

/// `sluice account verify|reset-password`: the mailed-code flows, without signing in.
struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Confirm your email address or reset your password with a mailed code.",
        subcommands: [Verify.self, ResetPassword.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Without --code, mail a code to the address; with it, confirm the address.")
        @Option(help: "Your account's email address.") var email: String
        @Option(help: "The 8-digit code from the mail.") var code: String?
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let api = try APIClient(global: global)
                if let code {
                    try await api.post("/auth/verification/confirm", CodeConfirmation(email: email, code: code))
                    writeLine("\(email) is confirmed; sign in with: sluice login --user \(email)")
                } else {
                    try await api.post("/auth/verification", CodeRequest(email: email))
                    writeLine("If \(email) belongs to an account awaiting confirmation, a code is on its way (valid 10 minutes).")
                }
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Without --code, mail a reset code; with it, set the new password (read from standard input or a prompt).")
        @Option(help: "Your account's email address.") var email: String
        @Option(help: "The 8-digit code from the mail.") var code: String?
        @Flag(help: "Read the new password from standard input (one line).") var passwordStdin = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let api = try APIClient(global: global)
                if let code {
                    let password = try LoginCommand.password(fromStdin: passwordStdin)
                    try await api.post("/auth/password-reset/confirm", CodeConfirmation(email: email, code: code, password: password))
                    writeLine("Password changed; every session and token of the account was revoked. Sign in again.")
                } else {
                    try await api.post("/auth/password-reset", CodeRequest(email: email))
                    writeLine("If \(email) belongs to an account, a reset code is on its way (valid 10 minutes).")
                }
            }
        }
    }
}
