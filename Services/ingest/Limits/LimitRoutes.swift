import APIModels
import Foundation
import Hosting
import Hummingbird

/// Ingest's internal API for rate limits (the gateway's `/api/v1/projects/{project}/limits`
/// and status view call it): the buckets, and a project's own job limits.
enum LimitRoutes {
    static func add(to router: Router<SluiceRequestContext>, limiter: RateLimiter) {
        router.get("limits") { _, _ in HTTPResponses.json(try await limiter.buckets()) }
        router.get("limits/projects/:project") { _, context in
            HTTPResponses.json(try await limiter.limits(try context.parameters.require("project")))
        }
        router.put("limits/projects/:project") { request, context in
            let project = try context.parameters.require("project")
            let body = try await request.body.collect(upTo: 16 << 10)
            let limits: ProjectLimits
            do { limits = try JSONDecoder().decode(ProjectLimits.self, from: Data(body.readableBytesView)) } catch {
                return HTTPResponses.error(.badRequest, "limits.invalid",
                                           "expected {\"jobsPerMinute\": N, \"jobsBurst\": B}: \(error)")
            }
            guard limits.jobsPerMinute >= 0, (limits.jobsBurst ?? 1) >= 1, (limits.itemsPerMinute ?? 0) >= 0,
                  (limits.itemsBurst ?? 1) >= 1 else {
                return HTTPResponses.error(.badRequest, "limits.invalid",
                                           "jobsPerMinute and itemsPerMinute must be ≥ 0, jobsBurst and itemsBurst ≥ 1")
            }
            try await limiter.set(project, limits)
            return HTTPResponses.json(try await limiter.limits(project))
        }
        router.delete("limits/projects/:project") { _, context in
            let project = try context.parameters.require("project")
            try await limiter.set(project, nil)
            return HTTPResponses.json(try await limiter.limits(project))
        }
    }
}
