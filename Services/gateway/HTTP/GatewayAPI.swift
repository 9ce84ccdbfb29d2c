import Contracts
import Foundation
import Hosting
import Hummingbird
import Logging
import PostgresNIO
import Runtime

/// Registers the operations of ``OperationTable`` on the router, each wrapped in the same
/// steps: authenticate (401), authorize (404 for objects of projects the caller is not in,
/// then 403), run the handler, turn every error into a problem document, and write mutating
/// requests to the audit log with the authenticated actor.
/// A class only so route structs can hold it: the router is touched while routes are added,
/// before the server starts, never from a request.
final class GatewayAPI: @unchecked Sendable {
    typealias Handler = @Sendable (Request, SluiceRequestContext, Access) async throws -> Response

    let router: Router<SluiceRequestContext>
    let runtime: RuntimeContext
    let authenticator: Authenticator
    let audit: AuditRepository

    init(router: Router<SluiceRequestContext>, runtime: RuntimeContext, authenticator: Authenticator,
         audit: AuditRepository) {
        self.router = router
        self.runtime = runtime
        self.authenticator = authenticator
        self.audit = audit
    }

    func add(_ id: String, _ handler: @escaping Handler) {
        guard let operation = OperationTable.byId[id] else { fatalError("operation \(id) is not in OperationTable") }
        router.on(RouterPath(operation.routerPath), method: operation.method) { request, context in
            await self.respond(operation, request, context, handler)
        }
    }

    private func respond(_ operation: Operation, _ request: Request, _ context: SluiceRequestContext,
                         _ handler: Handler) async -> Response {
        var access = Access(operation: operation, caller: nil)
        let response: Response
        do {
            if operation.permission != .public {
                access = Access(operation: operation, caller: try await authenticator.authenticate(request))
                if !operation.scoped { try access.user.require(operation.permission) }
            }
            try Self.checkQuery(request, operation)
            let answer = try await handler(request, context, access)
            if operation.scoped && !access.entered && answer.status.code < 300 {
                runtime.logger.error("scoped operation answered without naming its project",
                                     metadata: ["operation": "\(operation.id)"])
                throw Problem(.internalServerError, "gateway.internal", "the gateway could not authorize this request")
            }
            response = answer
        } catch {
            response = problem(for: error, operation: operation).response(instance: request.uri.path)
        }
        if operation.mutates {
            await record(operation, access, request, context, status: response.status.code)
        }
        return response
    }

    /// No NUL anywhere in the path or query (PostgreSQL text cannot hold it), only the
    /// operation's query parameters, and each once but the repeatable `tag`.
    static func checkQuery(_ request: Request, _ operation: Operation) throws {
        let raw = request.uri.path + "?" + (request.uri.query ?? "")
        if raw.range(of: "%00", options: .caseInsensitive) != nil {
            throw Problem.badRequest("request.nul-character", "the URL contains a NUL character (%00)")
        }
        var seen = Set<String>()
        for (key, _) in request.uri.queryParameters {
            let name = String(key)
            guard operation.query.contains(name) else {
                throw Problem.badRequest("request.unknown-parameter", "\(operation.id) takes no query parameter '\(name)'"
                    + (operation.query.isEmpty ? "" : " (it takes \(operation.query.sorted().joined(separator: ", ")))"))
            }
            guard name == "tag" || seen.insert(name).inserted else {
                throw Problem.badRequest("request.repeated-parameter", "give \(name) once")
            }
        }
    }

    private func record(_ operation: Operation, _ access: Access, _ request: Request, _ context: SluiceRequestContext,
                        status: Int) async {
        let target = access.targetName ?? context.parameters.map { String($0.value) }.joined(separator: "/")
        do {
            try await audit.record(actor: access.caller?.userName ?? "anonymous", action: operation.id,
                                   target: target.isEmpty ? nil : target, project: access.project, status: status,
                                   address: context.remoteAddress?.ipAddress)
        } catch {
            runtime.logger.error("cannot write the audit log", metadata: ["operation": "\(operation.id)", "error": "\(error)"])
        }
    }

    private func problem(for error: any Error, operation: Operation) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as HTTPError where error.status == .contentTooLarge:
            return Problem(.contentTooLarge, "request.too-large", "the request body is larger than this operation accepts")
        case let error as HTTPError where error.status.code < 500:
            return Problem(error.status, "request.invalid", error.body ?? error.status.reasonPhrase)
        case let error as SluiceError where error.disposition == .permanent:
            return Problem(.badRequest, error.code, error.message)
        case let error as SluiceError:
            return Problem(.serviceUnavailable, error.code, error.message, retryAfter: 5)
        case let error as PSQLError:
            // The server's message only: the error's full description could carry bound values.
            runtime.logger.error("operation failed", metadata: [
                "operation": "\(operation.id)", "sqlstate": "\(error.serverInfo?[.sqlState] ?? "")",
                "error": "\(error.serverInfo?[.message] ?? "\(error.code)")"])
            return Problem(.serviceUnavailable, "gateway.database", "the gateway's database failed; try again shortly",
                           retryAfter: 5)
        default:
            runtime.logger.error("operation failed", metadata: ["operation": "\(operation.id)", "error": "\(error)",
                                                                "type": "\(type(of: error))"])
            return Problem(.internalServerError, "gateway.internal", "the gateway failed; the log has details")
        }
    }
}
