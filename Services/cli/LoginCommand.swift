import APIModels
import ArgumentParser
import Contracts
import Foundation
import Outbound

/// `sluice login`: signs in to the gateway and keeps the session token in the user's config
/// directory (mode 0600); every operator command then goes through the gateway with it.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Sign in to the gateway and remember the token (0600).")

    @Option(help: "The gateway URL (default: SLUICE_URL, the last login's, else http://127.0.0.1:8080).") var url: String?
    @Option(help: "Your user name or email address.") var user: String
    @Flag(help: "Read the password from standard input (one line) instead of a prompt.") var passwordStdin = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            let values = try global.values()
            var base = url ?? Credentials.target(values: values).url
            while base.hasSuffix("/") { base.removeLast() }
            let password = try Self.password(fromStdin: passwordStdin)
            let body = try JSONCoding.encode(SignInRequest(user: user, password: password))
            let result: HTTPResult
            do {
                result = try await Outbound.post(url: base + "/api/v1/auth/sign-in", body: body, timeout: .seconds(30))
            } catch {
                throw CLIError(code: ExitCodes.unavailable, message: "cannot reach \(base): \(error). Is the gateway running?")
            }
            guard result.status == 201 else {
                throw CLIError(code: result.status < 500 ? ExitCodes.usage : ExitCodes.unavailable,
                               message: APIClient.refusal(result, method: "POST", url: base + "/api/v1/auth/sign-in"))
            }
            let issued = try JSONCoding.decoder().decode(IssuedToken.self, from: Data(result.body))
            try Credentials(url: base, user: issued.info.user, token: issued.token).save()
            writeLine("Signed in to \(base) as \(issued.info.user) (\(issued.info.role)) until "
                      + APIClient.time(issued.info.expiresAt) + "; token kept in \(Credentials.file.path)")
        }
    }

    /// A password from one line of standard input, or typed at a prompt without echo.
    static func password(fromStdin: Bool) throws -> String {
        let line: String?
        if fromStdin {
            line = readLine(strippingNewline: true)
        } else {
            guard isatty(STDIN_FILENO) == 1 else {
                throw CLIError(code: ExitCodes.usage, message: "no terminal to ask for the password: use --password-stdin")
            }
            line = getpass("Password: ").map { String(cString: $0) }
        }
        guard let line, !line.isEmpty else { throw CLIError(code: ExitCodes.usage, message: "no password given") }
        return line
    }
}

/// `sluice logout`: ends the session and forgets the token.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "Sign out and forget the token.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            if Credentials.load() != nil {
                try? await APIClient(global: global).call("POST", "/auth/sign-out")
                try Credentials.remove()
            }
            writeLine("Signed out.")
        }
    }
}
