import Contracts
import Foundation
import HTTPTypes
import Hosting
import Hummingbird
import Runtime

/// Shared pieces of the incident service's HTTP API.
enum IncidentHTTP {
    /// Who is acting: the `X-Sluice-Actor` header (the gateway sets it from the signed-in
    /// user; the CLI sends the local user name), else `operator`.
    static func actor(_ request: Request) -> String {
        let name = request.headers[HTTPField.Name("X-Sluice-Actor")!]?.trimmingCharacters(in: .whitespaces) ?? ""
        return name.isEmpty ? "operator" : String(name.prefix(200))
    }

    /// Runs `body`, answering a permanent `SluiceError` as a 4xx: not found → 404, a state
    /// that does not allow the action → 409, anything else → 422.
    static func respond(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as SluiceError where error.disposition == .permanent {
            let status: HTTPResponse.Status = error.code.hasSuffix("not-found") ? .notFound
                : error.code.hasSuffix("invalid-transition") || error.code.hasSuffix("exists") || error.code.hasSuffix("builtin")
                    ? .conflict : .unprocessableContent
            return HTTPResponses.error(status, error.code, error.message)
        }
    }

    /// Decodes a JSON body (up to 1 MiB), with a readable 422 when it does not fit.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        guard let value = try await decodeIfPresent(type, request) else {
            throw SluiceError.permanent("request.missing-body", "this request needs a JSON body")
        }
        return value
    }

    /// Decodes a JSON body, or nil when there is none.
    static func decodeIfPresent<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T? {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        guard buffer.readableBytes > 0 else { return nil }
        do {
            return try JSONCoding.decoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw SluiceError.permanent("request.invalid-body", "the request body does not fit: \(describe(error))")
        }
    }

    /// A `limit` query parameter, bounded.
    static func limit(_ request: Request, default fallback: Int, max: Int = 10_000) -> Int {
        min(max, Swift.max(1, request.uri.queryParameters.get("limit", as: Int.self) ?? fallback))
    }

    /// An ISO-8601 time query parameter.
    static func time(_ request: Request, _ name: String) throws -> Date? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds],
                                                     [.withFullDate]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        throw SluiceError.permanent("request.invalid-time", "\(name) must be an ISO-8601 time such as 2026-11-23T10:00:00Z, got '\(text)'")
    }
}

/// Bodies of the operator actions.
struct AssignBody: Codable { var assignee: String }
struct AnalysisBody: Codable { var rootCause: String?; var correctiveAction: String?; var impact: String? }
struct NoteBody: Codable { var text: String }
struct DiscardBody: Codable { var ids: [String]?; var incidentId: String?; var reason: String }
struct DiscardResult: Codable { var discarded: [String] }
