import Definitions
import Foundation
import Hosting
import Hummingbird
import NIOCore

/// Schemas (stored in validate) and plans (stored in transform), per project. A project's
/// definition `grades` is stored as `<project>.grades`; jobs submitted through the gateway
/// name it without the prefix and the gateway adds it, so projects never share definitions.
struct DefinitionProxyRoutes {
    let api: GatewayAPI
    let client: InternalClient

    func add() {
        for (kind, service, path) in [("Schema", "validate", "schemas"), ("Plan", "transform", "plans")] {
            api.add("list\(kind)s") { _, context, access in
                let project = try access.enterProject(context)
                let all = try await client.json([StoredDefinition].self, service, .GET, "/\(path)")
                return HTTPResponses.json(all.compactMap { Self.strip($0, project) })
            }
            api.add("get\(kind)") { request, context, access in
                let project = try access.enterProject(context)
                let name = try context.path("name")
                let version = try request.version()
                let found = try await client.json(StoredDefinition.self, service, .GET,
                                                  "/\(path)/\(JobRoutes.escape(project + "." + name))",
                                                  query: version.map { "version=\($0)" })
                return HTTPResponses.json(Self.strip(found, project) ?? found)
            }
            api.add("put\(kind)") { request, context, access in
                let project = try access.enterProject(context)
                let name = try context.path("name")
                access.target("\(project)/\(name)")
                let body = try await BodyReader.bytes(request, limit: 1 << 20)
                let stored = try await client.json(StoredDefinition.self, service, .PUT,
                                                   "/\(path)/\(JobRoutes.escape(project + "." + name))",
                                                   rawBody: body, actor: try access.user.userName)
                var response = HTTPResponses.json(Self.strip(stored, project) ?? stored, status: .created)
                response.headers[.location] = "/api/v1/projects/\(project)/\(path)/\(name)"
                return response
            }
        }
    }

    /// The definition as its project sees it (name without the prefix), or nil if another's.
    static func strip(_ definition: StoredDefinition, _ project: String) -> StoredDefinition? {
        guard definition.name.hasPrefix(project + ".") else { return nil }
        var visible = definition
        visible.name = String(definition.name.dropFirst(project.count + 1))
        return visible
    }
}
