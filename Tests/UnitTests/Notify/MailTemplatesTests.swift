import Foundation
@testable import NotifyService
import Testing

/// The mail templates: placeholders filled, headers kept on one line, files replacing built-ins.
@Suite("Mail templates")
struct MailTemplatesTests {
    @Test("placeholders are filled, unknown ones left empty, and a subject never spans lines")
    func render() throws {
        let templates = try MailTemplates(directory: nil)
        let mail = try #require(templates.render("verification-code", ["name": "Ann", "code": "01234567", "minutes": "10"]))
        #expect(mail.subject == "Your Sluice verification code: 01234567")
        #expect(mail.body.contains("Hello Ann,") && mail.body.contains("expires in 10 minutes"))
        #expect(MailTemplates.fill("a {{ x }} b {{y}} c {{", ["x": "1"]) == "a 1 b  c {{")
        let injected = try #require(templates.render("job-failed", ["job": "j\r\nBcc: evil@example.org", "code": "c"]))
        #expect(!injected.subject.contains("\n") && !injected.subject.contains("\r"), "no header injection")
        #expect(templates.render("no-such-template", [:]) == nil)
    }

    @Test("a file in notify.templates.dir replaces a built-in template")
    func override() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "Subject: Código {{code}}\n\nHola {{name}}: {{code}}\n".write(
            to: directory.appendingPathComponent("verification-code.txt"), atomically: true, encoding: .utf8)
        let templates = try MailTemplates(directory: directory.path)
        let mail = try #require(templates.render("verification-code", ["name": "Ana", "code": "42"]))
        #expect(mail.subject == "Código 42" && mail.body == "Hola Ana: 42\n")
        #expect(templates.render("password-changed", ["name": "x"])?.subject == "Your Sluice password was changed")
        try "no subject line\n".write(to: directory.appendingPathComponent("job-failed.txt"), atomically: true, encoding: .utf8)
        #expect(throws: TemplateError.self) { _ = try MailTemplates(directory: directory.path) }
    }
}
