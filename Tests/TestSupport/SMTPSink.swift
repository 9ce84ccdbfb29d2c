import Contracts
import Foundation

/// A real SMTP server for a test: aiosmtpd (Debian python3-aiosmtpd) as a child process on a
/// free loopback port, keeping every mail in a Maildir the test reads.
final class SMTPSink: @unchecked Sendable {
    let port: Int
    let maildir: URL
    private let process = Process()

    /// How the server speaks TLS: not at all, STARTTLS (required), or implicit TLS (SMTPS).
    enum TLS { case none, startTLS, implicit }

    init(tls: TLS = .none) throws {
        port = try TestEnvironment.freePort()
        maildir = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)")
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(at: maildir.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        var arguments = ["-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)"]
        if tls != .none {
            // A self-signed certificate for this server alone.
            let cert = maildir.appendingPathComponent("cert.pem").path, key = maildir.appendingPathComponent("key.pem").path
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                                 "-subj", "/CN=127.0.0.1"]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            arguments += tls == .startTLS ? ["--tlscert", cert, "--tlskey", key] : ["--smtpscert", cert, "--smtpskey", key]
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = arguments + ["-c", "aiosmtpd.handlers.Mailbox", maildir.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit { if process.isRunning { process.terminate() } }

    /// `smtp://127.0.0.1:<port>`, for `notify.smtp.url`.
    var url: String { "smtp://127.0.0.1:\(port)" }

    /// Waits until the server accepts connections.
    func waitUntilListening() async throws {
        _ = try await TestEnvironment.eventually(timeout: .seconds(20)) {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(self.port).bigEndian
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
        }
    }

    /// Every mail received so far, as text (headers and body).
    func messages() -> [String] {
        let folder = maildir.appendingPathComponent("new")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }

    /// The mails to `address`.
    func messages(to address: String) -> [String] {
        messages().filter { $0.contains("To: \(address)") }
    }

    /// Waits for the `count`-th mail to `address` whose subject contains `subject`.
    func waitForMail(to address: String, subject: String, count: Int = 1) async throws -> String {
        var found: [String] = []
        _ = try await TestEnvironment.eventually(timeout: .seconds(60)) {
            found = self.messages(to: address).filter { $0.contains(subject) }
            return found.count >= count
        }
        guard found.count >= count else {
            throw SluiceError.permanent("test.no-mail", "no mail \(count) to \(address) with '\(subject)' within 60 s "
                                        + "(\(self.messages().count) mails in all)")
        }
        return found[count - 1]
    }

    /// The 8-digit code in a mail.
    static func code(in mail: String) -> String? {
        guard let range = mail.range(of: "\\b[0-9]{8}\\b", options: .regularExpression) else { return nil }
        return String(mail[range])
    }

    func stop() {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: maildir)
    }
}
