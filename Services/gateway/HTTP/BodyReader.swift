import Contracts
import Foundation
import Hummingbird
import Runtime

/// Reading request bodies: bounded (413 past the limit, checked against `Content-Length`
/// before a byte is read) and decoded with a 400 that says what is wrong.
enum BodyReader {
    static func bytes(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Problem(.contentTooLarge, "request.too-large", "the body has \(length) bytes; this operation takes at most \(limit)")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem(.contentTooLarge, "request.too-large", "the body is larger than \(limit) bytes, the most this operation takes")
        }
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

extension Request {
    /// A query parameter, or nil when absent or empty.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
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
