import Foundation
@testable import TestSupport
import Testing

/// An incident alert through every operator channel: a JSON webhook, a chat webhook in Slack's
/// format, and email through a real SMTP server.
@Suite("Incident alerts by email and chat (real RabbitMQ, PostgreSQL and SMTP)")
struct IncidentAlertChannelsTests {
    @Test("one alert reaches the operators' mailbox and chat with the incident's figures")
    func channels() async throws {
        let smtp = try SMTPSink()
        try await smtp.waitUntilListening()
        let chat = WebhookReceiver()
        let chatURL = try await chat.start()
        let pipeline = try TestPipeline(overrides: ["notify.smtp.url": smtp.url, "notify.incident.emails": "ops@example.org",
                                                    "notify.incident.chat": chatURL])
        try await pipeline.start(["validate", "incident", "notify"])
        try await pipeline.publisher.publish([IncidentFlowTests.bad(0, prefix: pipeline.prefix)])
        let mail = try await smtp.waitForMail(to: "ops@example.org", subject: "Sluice incident")
        #expect(mail.contains("Service: validate") && mail.contains("message.unsupported-version"), "\(mail)")
        _ = try await TestEnvironment.eventually(timeout: .seconds(30)) { !chat.bodies.isEmpty }
        let message = try #require(try JSONSerialization.jsonObject(with: Data(chat.bodies[0])) as? [String: Any])
        #expect((message["text"] as? String)?.contains("Incident") == true && message["blocks"] is [Any])
        chat.stop()
        await pipeline.stopAll()
        smtp.stop()
    }
}
