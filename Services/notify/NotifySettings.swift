import Contracts
import Foundation
import Outbound
import Runtime

/// Notify's settings (`notify.*`).
struct NotifySettings: Sendable {
    /// Bound on one webhook request.
    var timeout: Duration
    /// Who hears of incidents: JSON webhooks, chat webhooks (Slack format) and email.
    var incidentWebhooks: [String]
    var incidentChat: [String]
    var incidentEmails: [String]
    /// The SMTP channel; nil when `notify.smtp.url` is empty (mail then fails, visibly).
    var smtp: SMTPConfig?
    /// The API base that artifact links in messages point at (the gateway's).
    var linksBase: String
    /// A directory of template files replacing the built-in ones.
    var templatesDirectory: String?

    init(values: ConfigValues) throws {
        timeout = .milliseconds(try values.int("notify.timeout.ms", 10_000))
        incidentWebhooks = values.list("notify.incident.webhooks", [])
        incidentChat = values.list("notify.incident.chat", [])
        incidentEmails = values.list("notify.incident.emails", [])
        let url = values.string("notify.smtp.url", "smtp://127.0.0.1:2525")
        if url.isEmpty {
            smtp = nil
        } else {
            guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://") else {
                throw SluiceError.permanent("config.invalid-smtp", "notify.smtp.url must be smtp://host:port or smtps://host:port")
            }
            let text = values.string("notify.smtp.starttls", "opportunistic")
            guard let startTLS = SMTPConfig.StartTLS(rawValue: text) else {
                throw SluiceError.permanent("config.invalid-smtp", "notify.smtp.starttls is none, opportunistic or required")
            }
            smtp = SMTPConfig(url: url, startTLS: startTLS, user: values["notify.smtp.user"],
                              password: values["notify.smtp.password"],
                              from: values.string("notify.smtp.from", "Sluice <sluice@localhost>"),
                              timeout: .milliseconds(try values.int("notify.smtp.timeout.ms", 30_000)),
                              verifyPeer: try values.bool("notify.smtp.verify", true))
        }
        linksBase = values.string("notify.links.url", "http://127.0.0.1:8080/api/v1")
        templatesDirectory = values["notify.templates.dir"]
    }
}
