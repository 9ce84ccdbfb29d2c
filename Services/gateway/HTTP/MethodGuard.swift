import Hosting
import Hummingbird

/// Requests with a method the router has no routes for at all (`QUERY`, `PROPFIND`, …): a 405
/// problem document with `Allow` on a documented path, a 404 one elsewhere under `/api/v1`,
/// never the router's bare 404.
struct MethodGuard: RouterMiddleware {
    typealias Context = SluiceRequestContext
    static let routed: Set<HTTPRequest.Method> = [.get, .post, .put, .patch, .delete, .options, .trace, .head]

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/v1/"), !Self.routed.contains(request.method) else {
            return try await next(request, context)
        }
        let operations = OperationTable.matching(path: request.uri.path)
        guard !operations.isEmpty else {
            return Problem(.notFound, "not-found", "no operation \(request.method.rawValue) \(request.uri.path)")
                .response(instance: request.uri.path)
        }
        let allow = operations.map(\.method.rawValue).sorted().joined(separator: ", ")
        var response = Problem(.methodNotAllowed, "request.method-not-allowed",
                               "\(request.uri.path) takes \(allow), not \(request.method.rawValue)").response(instance: request.uri.path)
        response.headers[.allow] = allow
        return response
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
