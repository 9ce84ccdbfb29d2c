import Foundation

/// What an S3 request answered, and its status sorted into the store's failure kinds.
struct S3Response: Sendable {
    /// Collects a response body from libcurl's write callback.
    final class Sink: @unchecked Sendable {
        var bytes: [UInt8] = []
    }

    var status: Int
    var body: [UInt8]
    /// `Content-Length` (for HEAD: the object's size), or -1.
    var contentLength: Int
    /// The `ETag` header (an uploaded part's, which completing a multipart upload names).
    var etag: String? = nil

    /// The value of header `name` (case-insensitive) in raw response headers; the last
    /// response's when libcurl saw several (a `100 Continue` first).
    static func header(_ name: String, in raw: [UInt8]) -> String? {
        var found: String?
        for line in String(decoding: raw, as: UTF8.self).split(whereSeparator: \.isNewline) {  // "\r\n" is one Character
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == name else { continue }
            found = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return found
    }

    /// Throws unless the status is 2xx (or 206): 404 not found (on a write: the bucket is
    /// gone, so unavailable), 403 denied, 507 or a quota error full, anything else (5xx, odd
    /// 4xx) unavailable, with S3's own error text.
    func check(_ key: ObjectKey?, _ what: String, writing: Bool = false) throws(ObjectStoreError) {
        guard !(200..<300).contains(status) else { return }
        let detail = Self.errorCode(body).map { " (\($0))" } ?? ""
        let message = "cannot \(what): HTTP \(status)\(detail)"
        switch status {
        case 404: throw ObjectStoreError(writing ? .unavailable : .notFound, key: key?.value, message)
        case 401, 403: throw ObjectStoreError(.denied, key: key?.value, message)
        case 507: throw ObjectStoreError(.full, key: key?.value, message)
        default:
            throw ObjectStoreError(detail.contains("Quota") ? .full : .unavailable, key: key?.value, message)
        }
    }

    /// The `<Code>` of an S3 error document.
    static func errorCode(_ xml: [UInt8]) -> String? {
        S3ListPage.elements("Code", in: String(decoding: xml, as: UTF8.self)).first
    }
}

/// One page of a ListObjectsV2 answer.
struct S3ListPage {
    var keys: [String]
    var nextToken: String?

    init(xml: [UInt8]) {
        let text = String(decoding: xml, as: UTF8.self)
        keys = Self.elements("Key", in: text)
        let truncated = Self.elements("IsTruncated", in: text).first == "true"
        nextToken = truncated ? Self.elements("NextContinuationToken", in: text).first : nil
    }

    /// The texts of every `<name>…</name>` element, XML entities decoded.
    static func elements(_ name: String, in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        let open = "<\(name)>", close = "</\(name)>"
        while let start = rest.range(of: open), let end = rest[start.upperBound...].range(of: close) {
            found.append(unescape(String(rest[start.upperBound..<end.lowerBound])))
            rest = rest[end.upperBound...]
        }
        return found
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
