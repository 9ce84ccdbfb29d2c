import APIModels
import Contracts
import Foundation
import Outbound
import PostgresNIO
@testable import TestSupport
import Testing

/// Email verification and password reset by code, through notify's SMTP channel to a real
/// SMTP server (aiosmtpd), codes read out of the received mail; and job notices by email and
/// in Slack's chat format.
@Suite("Gateway email flows (real RabbitMQ, PostgreSQL and SMTP)")
struct GatewayEmailTests {
    @Test("verification: mailed code, single use, wrong-code burn, expiry, identical answers for unknown addresses, 429")
    func verification() async throws {
        let smtp = try SMTPSink()
        try await smtp.waitUntilListening()
        let world = try GatewayWorld(overrides: ["notify.smtp.url": smtp.url])
        try await world.start()
        let pipeline = world.pipeline
        _ = try await pipeline.gatewayJSON(UserAccount.self, "POST", "/users", token: world.token("admin"), json: NewUser(
            name: "newcomer", email: "newcomer@example.org", role: "viewer", projects: ["alpha"], password: GatewayWorld.password))
        #expect(try await pipeline.gateway("POST", "/auth/sign-in", token: nil,
                                           json: SignInRequest(user: "newcomer", password: GatewayWorld.password)).status == 403)
        func request(_ email: String) async throws -> HTTPResult {
            try await pipeline.gateway("POST", "/auth/verification", token: nil, json: CodeRequest(email: email))
        }
        func confirm(_ email: String, _ code: String) async throws -> HTTPResult {
            try await pipeline.gateway("POST", "/auth/verification/confirm", token: nil,
                                       json: CodeConfirmation(email: email, code: code))
        }
        let known = try await request("newcomer@example.org")
        let started = ContinuousClock.now
        let unknown = try await request("nobody@example.org")
        #expect(ContinuousClock.now - started >= .milliseconds(300), "every answer waits for the 300 ms floor")
        #expect(known.status == 202 && unknown.status == 202 && known.body == unknown.body,
                "the same answer whether or not the address has an account: \(known.status) \(String(decoding: known.body, as: UTF8.self))")
        let mail = try await smtp.waitForMail(to: "newcomer@example.org", subject: "verification code")
        let code = try #require(SMTPSink.code(in: mail))
        #expect(mail.contains("From: Sluice") && mail.contains("expires in 10 minutes"))
        let wrong = try await confirm("newcomer@example.org", code == "00000000" ? "11111111" : "00000000")
        let stranger = try await confirm("nobody@example.org", code)
        #expect(wrong.status == 400 && stranger.status == 400 && wrong.body == stranger.body,
                "a wrong code and an unknown address read the same")
        #expect(try await confirm("newcomer@example.org", code).status == 204)
        #expect(try await confirm("newcomer@example.org", code).status == 400, "a code works once")
        #expect(try await pipeline.gateway("POST", "/auth/sign-in", token: nil,
                                           json: SignInRequest(user: "newcomer", password: GatewayWorld.password)).status == 201)
        #expect(smtp.messages(to: "nobody@example.org").isEmpty, "nothing is mailed to an address without an account")

        // Five wrong tries burn a code; an expired one is refused.
        _ = try await pipeline.gatewayJSON(UserAccount.self, "POST", "/users", token: world.token("admin"), json: NewUser(
            name: "second", email: "second@example.org", role: "member", projects: ["alpha"]))
        #expect(try await request("second@example.org").status == 202)
        let second = try #require(SMTPSink.code(in: try await smtp.waitForMail(to: "second@example.org", subject: "verification")))
        for _ in 0..<5 { _ = try await confirm("second@example.org", second == "00000000" ? "11111111" : "00000000") }
        #expect(try await confirm("second@example.org", second).status == 400, "burned after five wrong tries")
        #expect(try await request("second@example.org").status == 202)
        let third = try #require(SMTPSink.code(in: try await smtp.waitForMail(to: "second@example.org", subject: "verification",
                                                                                count: 2)))
        try await GatewayBehaviourTests.sql(pipeline, "UPDATE codes SET expires_at = now() - interval '1 second'")
        #expect(try await confirm("second@example.org", third).status == 400, "an expired code is refused")

        // Requests per address typed are limited (3 per 15 minutes by default): the fourth waits.
        #expect(try await request("second@example.org").status == 202)
        let limited = try await request("second@example.org")
        #expect(limited.status == 429 && String(decoding: limited.body, as: UTF8.self).contains("auth.code-throttled"))
        await world.stop()
        smtp.stop()
    }

    @Test("password reset: new password, every session revoked, the user told by mail")
    func passwordReset() async throws {
        let smtp = try SMTPSink()
        try await smtp.waitUntilListening()
        let world = try GatewayWorld(overrides: ["notify.smtp.url": smtp.url])
        try await world.start()
        let pipeline = world.pipeline
        let old = world.token("member-a")
        #expect(try await pipeline.gateway("POST", "/auth/password-reset", token: nil,
                                           json: CodeRequest(email: "member-a@example.org")).status == 202)
        let code = try #require(SMTPSink.code(in: try await smtp.waitForMail(to: "member-a@example.org", subject: "reset code")))
        let weak = try await pipeline.gateway("POST", "/auth/password-reset/confirm", token: nil,
                                              json: CodeConfirmation(email: "member-a@example.org", code: code, password: "short"))
        #expect(weak.status == 400)
        let reset = try await pipeline.gateway("POST", "/auth/password-reset/confirm", token: nil, json: CodeConfirmation(
            email: "member-a@example.org", code: code, password: "a brand new password"))
        #expect(reset.status == 204)
        #expect(try await pipeline.gateway("GET", "/me", token: old).status == 401, "sessions end with a reset")
        _ = try await smtp.waitForMail(to: "member-a@example.org", subject: "password was changed")
        #expect(try await pipeline.gateway("POST", "/auth/sign-in", token: nil, json: SignInRequest(
            user: "member-a", password: GatewayWorld.password)).status == 401)
        #expect(try await pipeline.gateway("POST", "/auth/sign-in", token: nil, json: SignInRequest(
            user: "member-a", password: "a brand new password")).status == 201)
        await world.stop()
        smtp.stop()
    }

    @Test("a job's outcome by email and to a chat webhook in Slack's format, with figures and artifact links")
    func jobNotices() async throws {
        let smtp = try SMTPSink()
        try await smtp.waitUntilListening()
        let chat = WebhookReceiver()
        let hook = try await chat.start()
        let world = try GatewayWorld(overrides: ["notify.smtp.url": smtp.url, "notify.links.url": "https://sluice.example.org/api/v1"])
        try await world.start()
        let job = try await world.pipeline.gatewayJSON(GatewayJob.self, "POST", "/jobs", token: world.token("member-a"),
                                                       json: JobSubmit(name: "notice", source: .inline("a,b\n1,2\n3,4\n"),
                                                                       notify: NotifySpec(chat: [hook], emails: ["lead@example.org"])))
        let mail = try await smtp.waitForMail(to: "lead@example.org", subject: "published")
        #expect(mail.contains("2 valid") && mail.contains("https://sluice.example.org/api/v1/jobs/\(job.id)/artifacts/output.csv"))
        _ = try await TestEnvironment.eventually(timeout: .seconds(30)) { !chat.bodies.isEmpty }
        let message = try #require(try JSONSerialization.jsonObject(with: Data(chat.bodies[0])) as? [String: Any])
        #expect((message["text"] as? String)?.contains("notice") == true)
        let blocks = String(decoding: chat.bodies[0], as: UTF8.self)
        #expect(message["blocks"] is [Any] && blocks.contains("output.csv") && blocks.contains("*Valid*"))
        chat.stop()
        await world.stop()
        smtp.stop()
    }
}
