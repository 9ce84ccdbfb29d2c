import Contracts
import Foundation
import Hosting
import Hummingbird
import Runtime

/// Reading request bodies: bounded (413 past the limit, checked against `Content-Length`
/// before a byte is read) and decoded with a 400 that says what is wrong.
enum BodyReader {
    static func bytes(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Problem(.contentTooLarge, "request.too-large", "the body has \(length) bytes; this operation takes at most \(limit)")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem(.contentTooLarge, "request.too-large", "the body is larger than \(limit) bytes, the most this operation takes")
        }
        if containsNUL(buffer.readableBytesView) {
            throw Problem.badRequest("request.nul-character", "the body contains a NUL character (\\u0000), which no field may hold")
        }
        return buffer
    }

    /// Whether JSON text holds a NUL: a raw 0 byte or the escape `\u0000` (PostgreSQL text
    /// cannot store it, so it is refused up front rather than failing deep inside).
    static func containsNUL(_ bytes: some Collection<UInt8>) -> Bool {
        let array = Array(bytes)
        guard array.count >= 1 else { return false }
        var index = 0
        while index < array.count {
            let byte = array[index]
            if byte == 0 { return true }
            if byte == UInt8(ascii: "\\"), index + 1 < array.count {
                if array[index + 1] == UInt8(ascii: "u"), index + 5 < array.count,
                   array[(index + 2)...(index + 5)].allSatisfy({ $0 == UInt8(ascii: "0") }) {
                    return true
                }
                index += 2
                continue
            }
            index += 1
        }
        return false
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, limit: Int) async throws -> T {
        let buffer = try await bytes(request, limit: limit)
        return try decode(type, Data(buffer.readableBytesView))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        guard !data.isEmpty else { throw Problem.badRequest("request.malformed", "the request needs a JSON body") }
        do {
            return try JSONCoding.decoder().decode(T.self, from: data)
        } catch {
            throw Problem.badRequest("request.malformed", "the body is not a valid \(T.self): \(describe(error))")
        }
    }
}

extension SluiceRequestContext {
    /// A path parameter, percent-decoded (the router hands them over as sent).
    func path(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }
}

extension Request {
    /// A query parameter, or nil when absent or empty.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// A `true`/`false` query parameter (400 otherwise), false when absent.
    func flag(_ name: String) throws -> Bool {
        switch query(name) {
        case nil, "false": return false
        case "true": return true
        default: throw Problem.badRequest("request.invalid-parameter", "\(name) is true or false")
        }
    }

    /// `version`: a stored definition's or reference table's version, 1 to 2147483647 (400
    /// otherwise); nil when absent (the latest).
    func version() throws -> Int? {
        guard query("version") != nil else { return nil }
        return try query("version", in: 1...Int(Int32.max), fallback: 1)
    }

    /// The `tag=key=value` filters (400 for one without `=` or with an empty key).
    func tagFilters() throws -> [String: String] {
        var tags: [String: String] = [:]
        for item in uri.queryParameters.getAll("tag") {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw Problem.badRequest("request.invalid-parameter", "tag filters look like tag=key=value, got '\(item)'")
            }
            tags[parts[0]] = parts[1]
        }
        return tags
    }

    /// An integer query parameter within `range` (400 otherwise), or `fallback` when absent.
    func query(_ name: String, in range: ClosedRange<Int>, fallback: Int) throws -> Int {
        guard let text = query(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw Problem.badRequest("request.invalid-parameter", "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
