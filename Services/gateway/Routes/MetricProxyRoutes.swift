import Aggregation
import APIModels
import Contracts
import Foundation
import Hosting
import Hummingbird
import NIOCore

/// Calculated metrics (kept by the metrics service): definitions, computing them for periods,
/// and their values. A metric over one project's datasets is seen by that project's members;
/// one over every project, or over Sluice's own jobs, by operators and admins (404 to others).
struct MetricProxyRoutes {
    let api: GatewayAPI
    let client: InternalClient

    func add() {
        api.add("listMetricDefinitions") { _, _, access in
            let all = try await client.json([MetricDefinition].self, "metrics", .GET, "/definitions")
            return HTTPResponses.json(try all.filter { try visible($0, access) })
        }
        api.add("getMetricDefinition") { request, context, access in
            HTTPResponses.json(try await definition(context, access, version: try request.query("version")))
        }
        api.add("putMetricDefinition") { request, context, access in
            let name = try context.path("name")
            access.target(name)
            let body = try await BodyReader.bytes(request, limit: 1 << 20)
            return try await client.forward("metrics", .PUT, "/definitions/\(JobRoutes.escape(name))", body: body,
                                            actor: try access.user.userName)
        }
        api.add("computeMetrics") { request, _, access in
            var input = try await BodyReader.decode(MetricComputeRequest.self, request, limit: 64 << 10)
            let all = try await client.json([MetricDefinition].self, "metrics", .GET, "/definitions")
            let seen = try all.filter { try visible($0, access) }.map(\.name)
            for name in input.names ?? [] where !seen.contains(name) { throw Problem.notFound("metric \(name)") }
            if (input.names ?? []).isEmpty { input.names = seen }
            guard !(input.names ?? []).isEmpty else { return HTTPResponses.json([MetricRun]()) }
            access.target((input.names ?? []).joined(separator: ","))
            return try await client.forward("metrics", .POST, "/compute", body: ByteBuffer(bytes: try JSONCoding.encode(input)),
                                            actor: try access.user.userName)
        }
        api.add("listCalculatedMetrics") { request, _, access in
            guard let name = try request.query("name") else {
                throw Problem.badRequest("request.invalid-parameter", "give the metric: ?name=NAME")
            }
            // Values of the version the caller may see (an older one may have read another project).
            let found = try await definition(name, access)
            var query = ["name=" + JobRoutes.escape(name), "version=\(found.version ?? 1)"]
            for key in ["from", "to", "limit"] {
                if let value = try request.query(key) { query.append("\(key)=\(JobRoutes.escape(value))") }
            }
            for filter in request.uri.queryParameters.getAll("dim") { query.append("dim=" + JobRoutes.escape(filter)) }
            return try await client.forward("metrics", .GET, "/values", query: query.joined(separator: "&"))
        }
    }

    private func visible(_ definition: MetricDefinition, _ access: Access) throws -> Bool {
        let caller = try access.user
        if let project = definition.source.project { return caller.sees(project) }
        return Permission.operationsRead.allows(caller.role)
    }

    private func definition(_ context: SluiceRequestContext, _ access: Access, version: String?) async throws -> MetricDefinition {
        try await definition(try context.path("name"), access, version: version)
    }

    private func definition(_ name: String, _ access: Access, version: String? = nil) async throws -> MetricDefinition {
        let found: MetricDefinition
        do {
            found = try await client.json(MetricDefinition.self, "metrics", .GET, "/definitions/\(JobRoutes.escape(name))",
                                          query: version.map { "version=\(JobRoutes.escape($0))" })
        } catch let problem as Problem where problem.status == .notFound {
            throw Problem.notFound("metric \(name)")
        }
        guard try visible(found, access) else { throw Problem.notFound("metric \(name)") }
        return found
    }
}
