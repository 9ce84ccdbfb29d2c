import APIModels
import Foundation
import Hosting
import Hummingbird
import NIOCore

/// A project's rate limits, kept by ingest (which applies them): read by anyone who sees the
/// project, set and removed by admins (docs/job-control.md#rate-limits).
struct LimitProxyRoutes {
    let api: GatewayAPI
    let client: InternalClient

    func add() {
        api.add("getProjectLimits") { _, context, access in
            let project = try enter(context, access)
            return HTTPResponses.json(try await client.json(ProjectLimits.self, "ingest", .GET, path(project)))
        }
        api.add("putProjectLimits") { request, context, access in
            let project = try enter(context, access)
            let limits = try await BodyReader.decode(ProjectLimits.self, request, limit: 16 << 10)
            guard limits.jobsPerMinute >= 0, limits.jobsPerMinute <= 1_000_000, (limits.jobsBurst ?? 1) >= 1,
                  (limits.jobsBurst ?? 1) <= 1_000_000, (0...1_000_000).contains(limits.itemsPerMinute ?? 0),
                  (1...1_000_000).contains(limits.itemsBurst ?? 1) else {
                throw Problem.badRequest("gateway.invalid-limits", "jobsPerMinute and itemsPerMinute must be 0 to 1000000 "
                                         + "(0: no limit), jobsBurst and itemsBurst 1 to 1000000")
            }
            return HTTPResponses.json(try await client.json(ProjectLimits.self, "ingest", .PUT, path(project), body: limits,
                                                            actor: try access.user.userName))
        }
        api.add("deleteProjectLimits") { _, context, access in
            let project = try enter(context, access)
            return HTTPResponses.json(try await client.json(ProjectLimits.self, "ingest", .DELETE, path(project),
                                                            actor: try access.user.userName))
        }
    }

    private func path(_ project: String) -> String { "/limits/projects/" + JobRoutes.escape(project) }

    private func enter(_ context: SluiceRequestContext, _ access: Access) throws -> String {
        let project = try access.enterProject(context)
        access.target(project)
        return project
    }
}
