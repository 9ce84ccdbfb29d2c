import Foundation
import Outbound
@testable import TestSupport
import Testing

/// notify's SMTP channel against a real SMTP server (aiosmtpd): plain, STARTTLS required, and
/// implicit TLS; and a server that cannot do TLS refused when STARTTLS is required.
@Suite("SMTP client (real SMTP server)")
struct SMTPClientTests {
    static func config(_ url: String, _ startTLS: SMTPConfig.StartTLS) -> SMTPConfig {
        SMTPConfig(url: url, startTLS: startTLS, user: nil, password: nil, from: "Sluice <sluice@example.org>",
                   timeout: .seconds(20), verifyPeer: false)
    }

    @Test("a mail arrives whole over plain SMTP, STARTTLS and implicit TLS; UTF-8 subjects are encoded")
    func deliveries() async throws {
        for (tls, scheme, startTLS) in [(SMTPSink.TLS.none, "smtp", SMTPConfig.StartTLS.none),
                                         (.startTLS, "smtp", .required), (.implicit, "smtps", .none)] {
            let sink = try SMTPSink(tls: tls)
            try await sink.waitUntilListening()
            let body = "Línea uno\n.\nA line with a dot alone above it.\n"
            try await SMTPClient.send(MailMessage(to: ["ann@example.org"], subject: "Código 1234", body: body),
                                      config: Self.config("\(scheme)://127.0.0.1:\(sink.port)", startTLS), messageId: "m1@sluice")
            let mail = try await sink.waitForMail(to: "ann@example.org", subject: "Subject:")
            #expect(mail.contains("Subject: =?UTF-8?B?"), "\(tls): the subject is encoded")
            #expect(mail.contains("Línea uno") && (mail.contains("\n.\n") || mail.contains("\r\n.\r\n")),
                    "\(tls): the line with a lone dot survives (dot-stuffing undone)")
            #expect(mail.contains("From: Sluice <sluice@example.org>") && mail.contains("Message-ID: <m1@sluice>"))
            sink.stop()
        }
    }

    @Test("STARTTLS required against a server without TLS fails instead of sending in the clear")
    func requiredTLS() async throws {
        let sink = try SMTPSink()
        try await sink.waitUntilListening()
        await #expect(throws: OutboundError.self) {
            try await SMTPClient.send(MailMessage(to: ["ann@example.org"], subject: "s", body: "b"),
                                      config: Self.config("smtp://127.0.0.1:\(sink.port)", .required), messageId: "m2@sluice")
        }
        #expect(sink.messages().isEmpty)
        sink.stop()
        // And the STARTTLS server above refuses a client that does not upgrade: the mail that
        // arrived there went over TLS.
        let tlsOnly = try SMTPSink(tls: .startTLS)
        try await tlsOnly.waitUntilListening()
        await #expect(throws: OutboundError.self) {
            try await SMTPClient.send(MailMessage(to: ["ann@example.org"], subject: "s", body: "b"),
                                      config: Self.config("smtp://127.0.0.1:\(tlsOnly.port)", .none), messageId: "m3@sluice")
        }
        tlsOnly.stop()
    }
}
