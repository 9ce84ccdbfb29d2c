import CCurl
import Dispatch
import Foundation

/// Where and how mail is sent: an `smtp://` (plain, or upgraded with STARTTLS) or `smtps://`
/// (implicit TLS) URL, credentials and the sender.
public struct SMTPConfig: Sendable {
    /// How STARTTLS is used on an `smtp://` URL.
    public enum StartTLS: String, Sendable {
        /// Never (a local relay).
        case none
        /// If the server offers it.
        case opportunistic
        /// Required: fail rather than send in the clear.
        case required
    }

    /// e.g. `smtp://127.0.0.1:2525`, `smtp://mail.example.org:587`, `smtps://mail.example.org:465`.
    public var url: String
    /// STARTTLS on `smtp://` URLs.
    public var startTLS: StartTLS
    /// Credentials, if the server wants them.
    public var user: String?
    public var password: String?
    /// The `From` address, e.g. `Sluice <sluice@example.org>`.
    public var from: String
    /// Bound on one send, connection included.
    public var timeout: Duration
    /// Whether to check the server's certificate (turn off only for a test server).
    public var verifyPeer: Bool

    /// A configuration.
    public init(url: String, startTLS: StartTLS, user: String?, password: String?, from: String, timeout: Duration,
                verifyPeer: Bool = true) {
        self.url = url
        self.startTLS = startTLS
        self.user = user
        self.password = password
        self.from = from
        self.timeout = timeout
        self.verifyPeer = verifyPeer
    }

    /// The bare address inside `from` (`a@b` of `Name <a@b>`).
    var fromAddress: String {
        guard let open = from.lastIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close else { return from }
        return String(from[from.index(after: open)..<close])
    }
}

/// One email: recipients, subject and a plain-text body.
public struct MailMessage: Sendable {
    /// Recipient addresses.
    public var to: [String]
    /// The subject line.
    public var subject: String
    /// The text (UTF-8; lines end in CRLF on the wire).
    public var body: String

    /// A message.
    public init(to: [String], subject: String, body: String) {
        self.to = to
        self.subject = subject
        self.body = body
    }

    /// The RFC 5322 text: headers (the subject encoded when not ASCII), a blank line, the body.
    func rendered(from: String, messageId: String, date: Date) -> [UInt8] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let subjectLine = subject.allSatisfy(\.isASCII) ? subject
            : "=?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?="
        let headers = [
            "From: \(from)", "To: \(to.joined(separator: ", "))", "Subject: \(subjectLine)",
            "Date: \(formatter.string(from: date))", "Message-ID: <\(messageId)>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
        ]
        // Dot-stuffing is libcurl's; a bare LF becomes CRLF here.
        let text = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return Array((headers.joined(separator: "\r\n") + "\r\n\r\n" + text + "\r\n").utf8)
    }
}

/// Sends mail through libcurl's SMTP (STARTTLS or implicit TLS, authentication), each send on
/// a dispatch thread, the async caller resumed when it finishes.
public enum SMTPClient {
    private static let queue = DispatchQueue(label: "sluice.smtp", attributes: .concurrent)

    private final class Source {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    /// Sends `message`; throws an ``OutboundError`` (`smtp.*`) the server's or the
    /// connection's reason.
    public static func send(_ message: MailMessage, config: SMTPConfig, messageId: String) async throws {
        try await Outbound.initialized()
        let payload = message.rendered(from: config.from, messageId: messageId, date: Date())
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async {
                continuation.resume(with: Result { try perform(message, payload: payload, config: config) })
            }
        }
    }

    private static func perform(_ message: MailMessage, payload: [UInt8], config: SMTPConfig) throws {
        guard let handle = curl_easy_init() else { throw OutboundError(code: "smtp.init-failed", message: "curl_easy_init failed") }
        defer { curl_easy_cleanup(handle) }
        var recipients: UnsafeMutablePointer<curl_slist>?
        for address in message.to { recipients = curl_slist_append(recipients, "<\(address)>") }
        defer { curl_slist_free_all(recipients) }
        let source = Unmanaged.passRetained(Source(payload))
        defer { source.release() }
        let milliseconds = Int(config.timeout.components.seconds) * 1000
            + Int(config.timeout.components.attoseconds / 1_000_000_000_000_000)
        _ = sluice_curl_setopt_string(handle, CURLOPT_URL, config.url)
        _ = sluice_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        _ = sluice_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = sluice_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds)
        _ = sluice_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, min(milliseconds, 10_000))
        let tls: Int = switch config.startTLS {
        case .none: Int(CURLUSESSL_NONE.rawValue)
        case .opportunistic: Int(CURLUSESSL_TRY.rawValue)
        case .required: Int(CURLUSESSL_ALL.rawValue)
        }
        _ = sluice_curl_setopt_long(handle, CURLOPT_USE_SSL, tls)
        if !config.verifyPeer {
            _ = sluice_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            _ = sluice_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let user = config.user { _ = sluice_curl_setopt_string(handle, CURLOPT_USERNAME, user) }
        if let password = config.password { _ = sluice_curl_setopt_string(handle, CURLOPT_PASSWORD, password) }
        _ = sluice_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(config.fromAddress)>")
        _ = sluice_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
        _ = sluice_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        _ = sluice_curl_setopt_read(handle, CURLOPT_READFUNCTION) { buffer, size, count, user in
            guard let buffer, let user else { return 0 }
            let source = Unmanaged<Source>.fromOpaque(user).takeUnretainedValue()
            let n = min(size * count, source.bytes.count - source.offset)
            source.bytes.withUnsafeBufferPointer { bytes in
                buffer.withMemoryRebound(to: UInt8.self, capacity: n) { target in
                    target.update(from: bytes.baseAddress! + source.offset, count: n)
                }
            }
            source.offset += n
            return n
        }
        _ = sluice_curl_setopt_pointer(handle, CURLOPT_READDATA, source.toOpaque())
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            var status = 0
            _ = sluice_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            let reason = String(cString: curl_easy_strerror(code))
            // 5xx replies are the server refusing for good (no such mailbox, policy); the rest may pass.
            throw OutboundError(code: code == CURLE_OPERATION_TIMEDOUT ? "smtp.timeout" : "smtp.failed",
                                message: "sending mail through \(config.url): \(reason)" + (status > 0 ? " (SMTP \(status))" : ""),
                                transient: !(500..<600).contains(status))
        }
    }
}
