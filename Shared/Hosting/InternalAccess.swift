import Contracts
import Hummingbird

/// The internal credential: the services' own HTTP APIs are for the gateway and operators on
/// the host, not for people elsewhere. A service listens on loopback unless `http.host` says
/// otherwise, and then it must have `http.internal.token`, which every request but `/health`
/// must carry as `Authorization: Internal <token>` (the gateway sends it).
public struct InternalAccess: Sendable {
    /// The shared secret, if one is configured.
    public let token: String?

    /// Reads `http.internal.token` (empty means none).
    public init(config: RuntimeConfig) {
        let value = config.values.string("http.internal.token", "")
        token = value.isEmpty ? nil : value
    }

    /// The header value a client of an internal API sends, if a token is configured.
    public static func header(token: String?) -> String? { token.map { "Internal " + $0 } }

    /// Refuses a configuration that would open an internal API to the network unguarded.
    public func check(host: String, service: String) throws {
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
        guard loopback || token != nil else {
            throw SluiceError.permanent("config.internal-token-required",
                "\(service) is set to listen on \(host), beyond loopback: its HTTP API is internal, so set "
                + "http.internal.token (the gateway sends the same value), or keep http.host=127.0.0.1")
        }
    }
}

/// Answers 401 to a request to an internal API without the internal credential.
struct InternalAccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let expected: String

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/health" || Self.same(request.headers[.authorization] ?? "", expected) {
            return try await next(request, context)
        }
        return HTTPResponses.error(.unauthorized, "internal.unauthorized",
                                   "this is an internal API: send Authorization: Internal <http.internal.token>")
    }

    /// Compares in time that depends on the length only, so the token cannot be guessed byte by byte.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
