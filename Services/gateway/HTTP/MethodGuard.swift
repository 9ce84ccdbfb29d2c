import Hosting
import Hummingbird

/// What the router answers when no route takes a request under `/api/v1`, turned into the
/// API's own answers: 405 with `Allow` when the path is documented for other methods (any
/// method, `QUERY` and `PROPFIND` included), otherwise a 404 problem document, never the
/// router's bare 404. A handler's own 404 (an unknown job) passes through untouched.
struct MethodGuard: RouterMiddleware {
    typealias Context = SluiceRequestContext

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        guard response.status == .notFound, request.uri.path.hasPrefix("/api/v1/") else { return response }
        let operations = OperationTable.matching(path: request.uri.path)
        if operations.contains(where: { $0.method == request.method }) { return response }
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
    /// The operations whose path template matches `path` (`{x}` matches one segment).
    static func matching(path: String) -> [Operation] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return all.filter { operation in
            let template = operation.path.split(separator: "/", omittingEmptySubsequences: false)
            return template.count == segments.count
                && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }
}
