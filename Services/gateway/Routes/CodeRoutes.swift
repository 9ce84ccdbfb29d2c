import APIModels
import Contracts
import Foundation
import Hosting
import Hummingbird
import Runtime
import Toolkit

/// Email verification and password reset by code. Every answer is the same whether the
/// address belongs to an account or not, and takes at least ``floor`` (the work differs by a
/// database write and a mail; the floor hides it). Requests are rate-limited per address
/// typed and per client address; wrong codes count against the code (burned after
/// ``CodeRepository/maxAttempts``) and against the client address.
struct CodeRoutes {
    let api: GatewayAPI
    let runtime: RuntimeContext
    let settings: GatewaySettings
    let identity: IdentityRepository
    let tokens: TokenRepository
    let accounts: AccountRoutes
    let requests: Throttle
    let failures: Throttle
    static let floor: Duration = .milliseconds(300)

    /// The answer to a code request, known account or not.
    struct Sent: Codable, Sendable {
        var status = "accepted"
        var detail: String

        init(minutes: Int) {
            detail = "if the address belongs to an account that can use it, a code is on its way; it expires in \(minutes) minutes"
        }
    }

    func add() {
        for (id, purpose) in [("requestVerification", CodeRepository.Purpose.verification),
                              ("requestPasswordReset", .passwordReset)] {
            api.add(id) { request, context, _ in
                try await padded {
                    let body = try await BodyReader.decode(CodeRequest.self, request, limit: 16 << 10)
                    try await send(purpose, to: body.email, address: context.remoteAddress?.ipAddress ?? "unknown")
                    return HTTPResponses.json(Sent(minutes: settings.codeMinutes), status: .accepted)
                }
            }
        }
        api.add("confirmVerification") { request, context, _ in
            try await padded {
                let body = try await BodyReader.decode(CodeConfirmation.self, request, limit: 16 << 10)
                try await confirm(body, .verification, address: context.remoteAddress?.ipAddress ?? "unknown")
                return Response(status: .noContent)
            }
        }
        api.add("confirmPasswordReset") { request, context, _ in
            try await padded {
                let body = try await BodyReader.decode(CodeConfirmation.self, request, limit: 16 << 10)
                guard let password = body.password else {
                    throw Problem.badRequest("request.malformed", "give the new password as \"password\"")
                }
                try Passwords.check(password)
                try await confirm(body, .passwordReset, address: context.remoteAddress?.ipAddress ?? "unknown")
                return Response(status: .noContent)
            }
        }
    }

    /// Runs `body` and answers no sooner than ``floor`` after it started, errors included.
    private func padded(_ body: () async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let result = await Result(awaiting: body)
        try? await Task.sleep(until: start + Self.floor)
        return try result.get()
    }

    private func send(_ purpose: CodeRepository.Purpose, to email: String, address: String) async throws {
        let keys = [Throttle.accountKey(email), Throttle.addressKey(address)]
        if let seconds = try await requests.lockedFor(keys) {
            throw Problem(.tooManyRequests, "auth.code-throttled", "too many code requests; try again in \(seconds) s",
                          retryAfter: seconds)
        }
        try await requests.record(account: keys[0], address: keys[1])
        let code = CodeRepository.generate()
        guard let user = try await identity.account(email: email), !user.disabled,
              purpose == .passwordReset || !user.verified else { return }
        let minutes = settings.codeMinutes
        try await runtime.transaction { connection, emitter in
            try await CodeRepository(runtime: runtime).store(code, userId: user.id, purpose: purpose, minutes: minutes,
                                                             on: connection)
            try emitter.emit(Self.mail(purpose == .verification ? "verification-code" : "password-reset-code", to: user,
                                       ["name": user.name, "code": code, "minutes": String(minutes)]))
        }
    }

    private func confirm(_ body: CodeConfirmation, _ purpose: CodeRepository.Purpose, address: String) async throws {
        let keys = [Throttle.accountKey(body.email), Throttle.addressKey(address)]
        if let seconds = try await failures.lockedFor(keys) {
            throw Problem(.tooManyRequests, "auth.code-throttled", "too many wrong codes; try again in \(seconds) s",
                          retryAfter: seconds)
        }
        let user = try await identity.account(email: body.email)
        // Hashed before the code is looked at, account or not, so the answer takes as long.
        let hash = purpose == .passwordReset ? try await accounts.hash(body.password ?? "") : nil
        var used = false
        if let user, !user.disabled {
            used = try await runtime.transaction { connection, emitter in
                guard try await CodeRepository(runtime: runtime).use(body.code, userId: user.id, purpose: purpose,
                                                                     on: connection) else { return false }
                try await identity.confirmed(userId: user.id, passwordHash: hash, on: connection)
                if hash != nil {
                    try await tokens.revokeAll(userId: user.id, on: connection)
                    try emitter.emit(Self.mail("password-changed", to: user, ["name": user.name]))
                }
                return true
            }
        }
        guard used else {
            try await failures.record(account: keys[0], address: keys[1])
            throw Problem.badRequest("auth.invalid-code", "the code is wrong, used or expired: request a new one")
        }
    }

    /// A `mail.requested` for `user`, made from `template`.
    static func mail(_ template: String, to user: UserAccount, _ variables: [String: String]) -> Envelope<MailRequested> {
        Envelope(id: "gateway/mail/\(user.id)/\(template)/\(MessageID.random())", jobId: nil, correlationId: user.id,
                 causationId: nil, producer: "gateway",
                 payload: MailRequested(to: [user.email], template: template, variables: variables, subject: user.id))
    }
}
