import Hummingbird

/// One operation of the API, as the OpenAPI document names it: the document's
/// `operationId`, method and path template, and the permission it needs (its
/// `x-sluice-permission`). The routes are registered from this table, and a test holds it
/// equal to the document, so no route exists that the document does not describe.
struct Operation: Sendable, Hashable {
    let id: String
    let method: HTTPRequest.Method
    /// The OpenAPI path template, e.g. `/api/v1/jobs/{job}`.
    let path: String
    let permission: Permission
    /// Whether the operation acts on objects of a project: the handler names the project
    /// (``Access/enter(_:_:)``), and a caller outside it gets 404 before any 403.
    let scoped: Bool
    /// The query parameters it takes; any other is refused (400), so a typo is not ignored.
    let query: Set<String>

    init(_ id: String, _ method: HTTPRequest.Method, _ path: String, _ permission: Permission, scoped: Bool = false,
         query: Set<String> = []) {
        self.id = id
        self.method = method
        self.path = path
        self.permission = permission
        self.scoped = scoped
        self.query = query
    }

    /// The path in Hummingbird's syntax (`{job}` → `:job`).
    var routerPath: String {
        String(path.dropFirst()).split(separator: "/").map { part in
            part.hasPrefix("{") ? ":" + part.dropFirst().dropLast() : part
        }.joined(separator: "/")
    }

    /// Changes something (audited).
    var mutates: Bool { method != .get && method != .head }
}
