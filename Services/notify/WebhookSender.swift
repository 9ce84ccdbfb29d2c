import Contracts
import Outbound
import Runtime

/// Delivers one notification to each webhook once. A URL already delivered for this message
/// is skipped, so a redelivered event does not notify twice; a failing URL makes the
/// handler fail transiently, and the retry sends only to the URLs still owed.
struct WebhookSender {
    let runtime: RuntimeContext
    let timeout: Duration

    func deliver(_ notice: Notification, to urls: [String], messageId: String) async throws {
        try await deliver(body: try JSONCoding.encode(notice), event: notice.event, subject: notice.jobId, to: urls,
                          messageId: messageId)
    }

    /// Delivers any JSON body; `subject` (a job or incident id) is what the delivery log is
    /// searched by.
    func deliver(body: [UInt8], event: String, subject: String, to urls: [String], messageId: String) async throws {
        let repository = NotifyRepository(runtime: runtime)
        var failures: [String] = []
        for url in urls {
            switch try await repository.claimWaiting(messageId: messageId, url: url, jobId: subject, event: event,
                                                     hold: timeout + .seconds(30)) {
            case .delivered: continue
            case .busy:
                failures.append("\(url): another copy of this message is being delivered")
                continue
            case .mine: break
            }
            do {
                let result = try await Outbound.post(url: url, body: body, headers: ["X-Sluice-Event": event],
                                                     timeout: timeout)
                let ok = (200..<300).contains(result.status)
                try await repository.record(messageId: messageId, jobId: subject, event: event, url: url,
                                            status: ok ? "delivered" : "failed", httpStatus: result.status,
                                            error: ok ? nil : "HTTP \(result.status)")
                if !ok { failures.append("\(url): HTTP \(result.status)") }
            } catch {
                try await repository.record(messageId: messageId, jobId: subject, event: event, url: url,
                                            status: "failed", httpStatus: nil, error: "\(error)")
                failures.append("\(url): \(error)")
            }
        }
        if !failures.isEmpty {
            throw SluiceError.transient("notify.webhook-failed", failures.joined(separator: "; "))
        }
    }
}
