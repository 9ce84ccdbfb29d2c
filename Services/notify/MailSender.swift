import Contracts
import Foundation
import Outbound
import Runtime

/// Sends one email per address once: an address already delivered for this message is
/// skipped (a redelivered event mails nobody twice), every attempt is in the delivery log
/// (`mailto:<address>`), and a failing address fails the handler so the retry sends only to
/// the addresses still owed. Without an SMTP server configured, mail fails for good and
/// becomes an incident rather than vanishing.
struct MailSender {
    let runtime: RuntimeContext
    let settings: NotifySettings
    let templates: MailTemplates

    func send(template: String, values: [String: String], to addresses: [String], event: String, subject: String,
              messageId: String) async throws {
        guard !addresses.isEmpty else { return }
        guard let rendered = templates.render(template, values) else {
            throw SluiceError.permanent("notify.unknown-template", "there is no mail template '\(template)'")
        }
        let repository = NotifyRepository(runtime: runtime)
        guard let smtp = settings.smtp else {
            for address in addresses {
                try await repository.record(messageId: messageId, jobId: subject, event: event, url: "mailto:" + address,
                                            status: "failed", httpStatus: nil, error: "no SMTP server (notify.smtp.url)")
            }
            throw SluiceError.permanent("notify.no-smtp", "mail was asked for but notify.smtp.url is empty")
        }
        var failures: [String] = []
        var permanent = true
        for address in addresses {
            let target = "mailto:" + address
            switch try await repository.claimWaiting(messageId: messageId, url: target, jobId: subject, event: event,
                                                     hold: smtp.timeout + .seconds(30)) {
            case .delivered: continue
            case .busy:
                failures.append("\(address): another copy of this message is being delivered")
                permanent = false
                continue
            case .mine: break
            }
            do {
                try await SMTPClient.send(MailMessage(to: [address], subject: rendered.subject, body: rendered.body),
                                          config: smtp, messageId: "\(MessageID.hash(messageId, address))@sluice")
                try await repository.record(messageId: messageId, jobId: subject, event: event, url: target,
                                            status: "delivered", httpStatus: nil, error: nil)
            } catch let error as OutboundError {
                try await repository.record(messageId: messageId, jobId: subject, event: event, url: target,
                                            status: "failed", httpStatus: nil, error: error.message)
                failures.append("\(address): \(error.message)")
                permanent = permanent && !error.transient
            }
        }
        if !failures.isEmpty {
            let message = failures.joined(separator: "; ")
            throw permanent ? SluiceError.permanent("notify.mail-refused", message)
                            : SluiceError.transient("notify.mail-failed", message)
        }
    }
}
