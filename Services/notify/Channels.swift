import Contracts
import Runtime

/// Every channel of one notification: JSON webhooks, chat webhooks and email. Each delivers
/// what it still owes; any failure fails the handler once all were tried (a retry resends
/// only what is owed: the delivery log remembers the rest).
struct Channels {
    let runtime: RuntimeContext
    let settings: NotifySettings
    let templates: MailTemplates

    func deliver(json: [UInt8], chat: [UInt8], mail: (template: String, values: [String: String]), event: String,
                 subject: String, targets: NotifySpec, messageId: String) async throws {
        let webhooks = WebhookSender(runtime: runtime, timeout: settings.timeout)
        var errors: [SluiceError] = []
        func attempt(_ body: () async throws -> Void) async throws {
            do { try await body() } catch let error as SluiceError { errors.append(error) }
        }
        try await attempt { try await webhooks.deliver(body: json, event: event, subject: subject, to: targets.webhooks,
                                                       messageId: messageId) }
        try await attempt { try await webhooks.deliver(body: chat, event: event, subject: subject, to: targets.chat ?? [],
                                                       messageId: messageId) }
        try await attempt {
            try await MailSender(runtime: runtime, settings: settings, templates: templates)
                .send(template: mail.template, values: mail.values, to: targets.emails ?? [], event: event,
                      subject: subject, messageId: messageId)
        }
        if let first = errors.first {
            let transient = errors.contains { $0.disposition == .transient }
            throw SluiceError(first.code, errors.map(\.message).joined(separator: "; "), transient ? .transient : .permanent)
        }
    }
}
