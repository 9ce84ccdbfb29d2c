import APIModels
import Contracts
import Foundation
import Outbound
import PostgresNIO
@testable import TestSupport
import Testing

/// The gateway as a client meets it: tokens that stop working, sign-in throttling, bodies too
/// large or malformed, and jobs submitted, listed, paged, downloaded and re-run.
@Suite("Gateway behaviour (real RabbitMQ and PostgreSQL)")
struct GatewayBehaviourTests {
    @Test("a revoked, expired or disabled user's token is refused on the next request; Token scheme; scoped tokens")
    func tokens() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let member = world.token("member-a")
        let issued = try await pipeline.gatewayJSON(IssuedToken.self, "POST", "/tokens", token: member,
                                                    json: NewToken(name: "ci", role: "viewer"))
        #expect(issued.token.hasPrefix("slc_") && issued.info.role == "viewer" && issued.info.projects == ["alpha"])
        let me = try await pipeline.gateway("GET", "/me", token: nil, headers: ["Authorization": "Token " + issued.token])
        #expect(me.status == 200, "the control room's Token scheme")
        let listed = try await pipeline.gatewayJSON([TokenInfo].self, "GET", "/tokens", token: member)
        let info = try #require(listed.first { $0.id == issued.info.id })
        #expect(info.lastUsedAt != nil, "last_used_at is recorded")
        #expect(!String(decoding: try JSONCoding.encode(listed), as: UTF8.self).contains(issued.token), "lists never show secrets")
        #expect(try await pipeline.gateway("POST", "/jobs", token: issued.token,
                                           json: JobSubmit(source: .inline("a\n1\n"), project: "alpha")).status == 403,
                "a viewer token of a member cannot submit")
        let tooStrong = try await pipeline.gateway("POST", "/tokens", token: member, json: NewToken(name: "x", role: "admin"))
        #expect(tooStrong.status == 403, "no token above its user's role")
        let elsewhere = try await pipeline.gateway("POST", "/tokens", token: member, json: NewToken(name: "x", projects: ["beta"]))
        #expect(elsewhere.status == 403, "no token for a project its user is not in")
        let revoked = try await pipeline.gateway("DELETE", "/tokens/\(issued.info.id)", token: member)
        #expect(revoked.status == 204)
        let after = try await pipeline.gateway("GET", "/me", token: issued.token)
        #expect(after.status == 401 && String(decoding: after.body, as: UTF8.self).contains("auth.invalid-token"))
        #expect(try await pipeline.gateway("DELETE", "/tokens/\(issued.info.id)", token: world.token("member-b")).status == 404,
                "another user's token does not exist for them")

        // Expiry: a token whose time has passed, checked on its next request.
        let short = try await pipeline.gatewayJSON(IssuedToken.self, "POST", "/tokens", token: member, json: NewToken(name: "short"))
        try await Self.sql(pipeline, "UPDATE tokens SET expires_at = now() - interval '1 second' WHERE id = '\(short.info.id)'")
        let expired = try await pipeline.gateway("GET", "/me", token: short.token)
        #expect(expired.status == 401 && String(decoding: expired.body, as: UTF8.self).contains("auth.token-expired"))

        // Disabling a user ends every session and token of theirs at once.
        let change = try await pipeline.gateway("PATCH", "/users/member-a", token: world.token("admin"),
                                                json: UserChange(disabled: true))
        #expect(change.status == 200)
        #expect(try await pipeline.gateway("GET", "/me", token: member).status == 401)
        let again = try await pipeline.gateway("POST", "/auth/sign-in", token: nil,
                                               json: SignInRequest(user: "member-a", password: GatewayWorld.password))
        #expect(again.status == 401, "a disabled user cannot sign in")
        let selfDemotion = try await pipeline.gateway("PATCH", "/users/admin", token: world.token("admin"),
                                                      json: UserChange(role: "viewer"))
        #expect(selfDemotion.status == 409)
        await world.stop()
    }

    @Test("sign-in: same answer for unknown accounts, 429 with Retry-After when throttled, unverified members wait")
    func signInThrottling() async throws {
        let world = try GatewayWorld()
        try await world.start(gatewayOverrides: [:])
        let pipeline = world.pipeline
        func signIn(_ user: String, _ password: String) async throws -> HTTPResult {
            try await pipeline.gateway("POST", "/auth/sign-in", token: nil, json: SignInRequest(user: user, password: password))
        }
        let unknown = try await signIn("nobody", "wrong password 1")
        let wrong = try await signIn("operator", "wrong password 1")
        #expect(unknown.status == 401 && wrong.status == 401)
        let a = try JSONCoding.decoder().decode(ProblemBody.self, from: Data(unknown.body))
        let b = try JSONCoding.decoder().decode(ProblemBody.self, from: Data(wrong.body))
        #expect(a.code == b.code && a.detail == b.detail, "an unknown account reads exactly like a wrong password")
        for _ in 0..<3 { _ = try await signIn("operator", "wrong password 1") }
        let fifth = try await signIn("operator", "wrong password 1")
        #expect(fifth.status == 401, "the fifth failure is still answered")
        let locked = try await signIn("operator", GatewayWorld.password)
        #expect(locked.status == 429, "locked even with the right password")
        let retry = try await Self.retryAfter(pipeline, user: "operator")
        #expect((1...900).contains(retry ?? 0), "Retry-After in seconds")
        #expect(try await signIn("member-a", GatewayWorld.password).status == 201, "other accounts are not locked")
        // The unknown account is counted too, so probing names locks them out the same way.
        for _ in 0..<5 { _ = try await signIn("nobody", "wrong password 1") }
        #expect(try await signIn("nobody", "wrong password 1").status == 429)

        // A member whose address is not confirmed cannot sign in yet.
        _ = try await pipeline.gatewayJSON(UserAccount.self, "POST", "/users", token: world.token("admin"), json: NewUser(
            name: "new-member", email: "new@example.org", role: "member", projects: ["alpha"], password: GatewayWorld.password))
        let unverified = try await signIn("new-member", GatewayWorld.password)
        #expect(unverified.status == 403 && String(decoding: unverified.body, as: UTF8.self).contains("auth.unverified"))
        let audit = try await pipeline.gatewayJSON([AuditRecord].self, "GET", "/audit?action=signIn", token: world.token("admin"))
        #expect(audit.contains { $0.actor == "anonymous" && $0.status == 401 }, "failed sign-ins are audited")
        await world.stop()
    }

    static func retryAfter(_ pipeline: TestPipeline, user: String) async throws -> Int? {
        // libcurl's result has no headers: read them with a raw request.
        let url = pipeline.url("gateway", "/api/v1/auth/sign-in")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-D", "-", "-o", "/dev/null", "-X", "POST", "-H", "Content-Type: application/json",
                             "-d", #"{"user": "\#(user)", "password": "x"}"#, url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let headers = String(decoding: data, as: UTF8.self).split(separator: "\r\n")
        return headers.first { $0.lowercased().hasPrefix("retry-after:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
    }

    static func sql(_ pipeline: TestPipeline, _ statement: String) async throws {
        try await TestEnvironment.withDatabase(TestEnvironment.adminDatabase(
            schema: TestEnvironment.schema("gateway", prefix: pipeline.prefix))) { db in
            _ = try await db.query("\(unescaped: statement)")
        }
    }
}
