import APIModels
import Foundation
import Hosting
import Hummingbird

/// Reference tables (stored in transform), per project: what plans' `lookup` steps join
/// (docs/plans.md#lookup). A project's table `planning` is stored as `<project>.planning`,
/// and a job of the project joins it by the short name, so projects never share tables.
struct ReferenceProxyRoutes {
    let api: GatewayAPI
    let client: InternalClient

    func add() {
        api.add("listReferences") { _, context, access in
            let project = try access.enterProject(context)
            let all = try await client.json([StoredReference].self, "transform", .GET, "/references")
            return HTTPResponses.json(all.compactMap { Self.strip($0, project) })
        }
        api.add("getReference") { request, context, access in
            let project = try access.enterProject(context)
            let name = try context.path("name")
            var query = try request.version().map { ["version=\($0)"] } ?? []
            query.append("limit=\(try request.query("limit", in: 0...200_000, fallback: 100))")
            let found = try await client.json(StoredReference.self, "transform", .GET,
                                              "/references/\(JobRoutes.escape(project + "." + name))",
                                              query: query.joined(separator: "&"))
            return HTTPResponses.json(Self.strip(found, project) ?? found)
        }
        api.add("putReference") { request, context, access in
            let project = try access.enterProject(context)
            let name = try context.path("name")
            access.target("\(project)/\(name)")
            let body = try await BodyReader.bytes(request, limit: 64 << 20)
            let stored = try await client.json(StoredReference.self, "transform", .PUT,
                                               "/references/\(JobRoutes.escape(project + "." + name))",
                                               rawBody: body, actor: try access.user.userName)
            var response = HTTPResponses.json(Self.strip(stored, project) ?? stored, status: .created)
            response.headers[.location] = "/api/v1/projects/\(project)/references/\(name)"
            return response
        }
    }

    /// The table as its project sees it (name without the prefix), or nil if another's.
    static func strip(_ table: StoredReference, _ project: String) -> StoredReference? {
        guard table.name.hasPrefix(project + ".") else { return nil }
        var visible = table
        visible.name = String(table.name.dropFirst(project.count + 1))
        visible.reference = "\(visible.name)@\(table.version)"
        return visible
    }
}
