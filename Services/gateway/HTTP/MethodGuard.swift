import Hosting
import Hummingbird

/// What the router answers when no route takes a request under `/api/v1`, turned into the
/// API's own answers: 405 with `Allow` when the path is documented for other methods (any
/// method, `QUERY` and `PROPFIND` included), otherwise a 404 problem document, never the
/// router's bare 404. A handler's own 404 (an unknown job) is an answer, and passes untouched.
struct MethodGuard: RouterMiddleware {
    typealias Context = SluiceRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && request.uri.path.hasPrefix("/api/v1/") {
            // The router's own miss (its not-found responder throws); a handler's 404 is a response.
            return refusal(request)
        }
    }

    private func refusal(_ request: Request) -> Response {
        let operations = OperationTable.matching(path: request.uri.path)
        guard !operations.isEmpty else {
            return Problem(.notFound, "not-found",
                           "no operation \(request.method.rawValue) \(request.uri.path); see /api/v1/openapi.json")
                .response(instance: request.uri.path)
        }
        let allow = operations.map(\.method.rawValue).sorted().joined(separator: ", ")
        var refusal = Problem(.methodNotAllowed, "request.method-not-allowed",
                              "\(request.uri.path) takes \(allow), not \(request.method.rawValue)").response(instance: request.uri.path)
        refusal.headers[.allow] = allow
        return refusal
    }
}

extension OperationTable {
    /// The operations of the path template that matches `path` most specifically (`{x}`
    /// matches one segment; as in the router, `/dead-letters/discard` is not `/dead-letters/{id}`).
    static func matching(path: String) -> [Operation] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let matches = all.filter { operation in
            let template = operation.path.split(separator: "/", omittingEmptySubsequences: false)
            return template.count == segments.count
                && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
        func literals(_ operation: Operation) -> Int { operation.path.split(separator: "/").filter { !$0.hasPrefix("{") }.count }
        let most = matches.map(literals).max()
        return matches.filter { literals($0) == most }
    }
}
