import Contracts
import Foundation
import Plans

/// What an item's request must pass before it is sent, and what of an answer may be reported.
extension CallRunner {
    /// Why the request must not be sent, or nil:
    /// - a URL placeholder with an empty value (`/items/{{upc}}` would become `/items/`, perhaps
    ///   another resource, perhaps for a `DELETE`);
    /// - a header value with a line break or NUL, which would add headers or split the request;
    /// - a secret bound for a host outside its `call.hosts.NAME`: a job chooses the URL, so a
    ///   secret goes only where the operator said it may.
    func refusal(_ request: CallRequest, record: Record, call: CompiledCall) -> (code: String, message: String)? {
        let blank = call.blankURLColumns(record)
        if !blank.isEmpty {
            return ("call.empty-value", "was not sent: the URL's \(blank.map { "{{\($0)}}" }.joined(separator: ", ")) "
                + "is empty in this record")
        }
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        for (name, value) in request.headers where value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
            return ("call.bad-header", "was not sent: header \(name) holds a line break or NUL")
        }
        guard !call.secrets.isEmpty else { return nil }
        let host = (URLComponents(string: request.url)?.host ?? "").lowercased()
        for secret in call.secrets.sorted() where !TransformSettings.host(host, matches: settings.secretHosts[secret] ?? []) {
            return ("call.secret-host-refused", "was not sent: secret \(secret) may be sent only to "
                + "\((settings.secretHosts[secret] ?? []).joined(separator: ", ")) (call.hosts.\(secret)), not to \(host)")
        }
        return nil
    }

    /// The start of an error answer for the report, any secret it echoes blanked out.
    func snippet(_ body: [UInt8]) -> String {
        var text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        for (name, value) in settings.secrets where !value.isEmpty { text = text.replacingOccurrences(of: value, with: "[secret \(name)]") }
        return text.isEmpty ? "(no body)" : text + (body.count > 200 ? "…" : "")
    }
}
