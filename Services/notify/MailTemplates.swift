import Foundation

/// The emails notify sends, as templates: a subject and a plain-text body with `{{name}}`
/// placeholders. Built in here; a file `<template>.txt` in `notify.templates.dir` (a
/// `Subject: …` line, a blank line, the body) replaces one.
struct MailTemplates: Sendable {
    struct Template: Sendable, Equatable {
        var subject: String
        var body: String
    }

    private var templates: [String: Template]

    static let builtIn: [String: Template] = [
        "verification-code": Template(subject: "Your Sluice verification code: {{code}}", body: """
            Hello {{name}},

            Your code to confirm this email address for Sluice is:

                {{code}}

            It expires in {{minutes}} minutes and works once. If you did not ask for it, ignore this mail.
            """),
        "password-reset-code": Template(subject: "Your Sluice password reset code: {{code}}", body: """
            Hello {{name}},

            Your code to set a new Sluice password is:

                {{code}}

            It expires in {{minutes}} minutes and works once. If you did not ask for it, ignore this mail:
            your password stays as it is.
            """),
        "password-changed": Template(subject: "Your Sluice password was changed", body: """
            Hello {{name}},

            The password of your Sluice account was just changed with a reset code, and every session
            and API token you had was revoked. If this was not you, tell your administrator at once.
            """),
        "job-published": Template(subject: "Sluice job {{job}} published: {{valid}} valid, {{invalid}} invalid rows", body: """
            The job "{{name}}" ({{job}}) was published.

            Rows: {{total}} in, {{valid}} valid, {{invalid}} invalid.
            Tags: {{tags}}

            Artifacts:
            {{artifacts}}
            """),
        "job-failed": Template(subject: "Sluice job {{job}} failed: {{code}}", body: """
            The job "{{name}}" ({{job}}) failed in {{stage}}.

            [{{code}}] {{reason}}
            Tags: {{tags}}
            """),
        "batch-finished": Template(subject: "Sluice batch {{name}} {{state}}: {{completed}} of {{jobs}} jobs completed", body: """
            The batch "{{name}}" ({{batch}}, project {{project}}) has {{state}}.

            Jobs: {{jobs}}   completed: {{completed}}   failed: {{failed}}   cancelled: {{cancelled}}
            Success rate: {{rate}}%   Rows valid: {{valid}}   invalid: {{invalid}}
            """),
        "status-digest": Template(subject: "{{subject}}", body: """
            {{text}}
            """),
        "incident-alert": Template(subject: "[{{severity}}] Sluice incident {{incident}}: {{title}}", body: """
            {{reason}}: {{title}}

            Service: {{service}}   Error: {{errorType}}   Failures: {{count}}
            Sample: {{sample}}
            Runbook: {{runbook}}
            """),
    ]

    /// The built-in templates, with those in `directory` (if any) in their place.
    init(directory: String?) throws {
        templates = Self.builtIn
        guard let directory, !directory.isEmpty else { return }
        for name in Self.builtIn.keys {
            let path = (directory as NSString).appendingPathComponent(name + ".txt")
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            templates[name] = try Self.parse(String(decoding: data, as: UTF8.self), path: path)
        }
    }

    static func parse(_ text: String, path: String) throws -> Template {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.lowercased().hasPrefix("subject:") else {
            throw TemplateError(message: "\(path): the first line must be 'Subject: …'")
        }
        let subject = first.dropFirst("subject:".count).trimmingCharacters(in: .whitespaces)
        let body = lines.dropFirst().drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: "\n")
        return Template(subject: subject, body: body)
    }

    /// The subject and body of `name` with `values` filled in (unknown placeholders become "").
    func render(_ name: String, _ values: [String: String]) -> (subject: String, body: String)? {
        guard let template = templates[name] else { return nil }
        // A header cannot hold a line break: a value with one must not start a new header.
        let subject = Self.fill(template.subject, values).map { $0.isNewline ? " " : String($0) }.joined()
        return (subject, Self.fill(template.body, values))
    }

    static func fill(_ text: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                result += rest[open.lowerBound...]
                return result
            }
            let key = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            result += values[key] ?? ""
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}

struct TemplateError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
