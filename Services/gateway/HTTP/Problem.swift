import Contracts
import Foundation
import Hummingbird

/// An error answer of the gateway: an RFC 9457 problem document (`application/problem+json`)
/// with a stable `code` programs can branch on and a `detail` a person can act on.
struct Problem: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var detail: String
    /// Seconds, for 429 and 503 (`Retry-After`).
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, _ code: String, _ detail: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.detail = detail
        self.retryAfter = retryAfter
    }

    /// The body, as documented by the `Problem` schema of the OpenAPI document.
    struct Document: Codable, Sendable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var code: String
        var instance: String?
    }

    func response(instance: String? = nil) -> Response {
        let document = Document(type: "urn:sluice:problem:" + code, title: Self.title(status), status: status.code,
                                detail: detail, code: code, instance: instance)
        let bytes = (try? JSONCoding.encoder(pretty: true).encode(document)) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"sluice\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The reason phrase (a status made from a bare code, as a proxied answer's, has none).
    static func title(_ status: HTTPResponse.Status) -> String {
        if !status.reasonPhrase.isEmpty { return status.reasonPhrase }
        let known: [HTTPResponse.Status] = [.badRequest, .unauthorized, .forbidden, .notFound, .methodNotAllowed, .conflict,
                                            .gone, .contentTooLarge, .unprocessableContent, .tooManyRequests,
                                            .internalServerError, .badGateway, .serviceUnavailable, .gatewayTimeout]
        return known.first { $0.code == status.code }?.reasonPhrase ?? "Error"
    }

    static func unauthorized(_ detail: String = "sign in: send Authorization: Bearer <token> (from POST /api/v1/auth/sign-in or an API token)") -> Problem {
        Problem(.unauthorized, "auth.unauthenticated", detail)
    }

    static func forbidden(_ permission: Permission) -> Problem {
        Problem(.forbidden, "auth.forbidden", "your role may not do this (it needs \(permission.rawValue); see docs/access.md)")
    }

    static func notFound(_ what: String) -> Problem { Problem(.notFound, "not-found", "there is no \(what) you can see") }

    static func badRequest(_ code: String, _ detail: String) -> Problem { Problem(.badRequest, code, detail) }
}
