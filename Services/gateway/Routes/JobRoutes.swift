import APIModels
import Contracts
import Crypto
import Foundation
import Hosting
import Hummingbird
import Runtime

/// Jobs: submit (JSON, or multipart with the file streamed to ingest), list, show, artifacts,
/// validation errors and re-runs.
struct JobRoutes {
    let api: GatewayAPI
    let runtime: RuntimeContext
    let settings: GatewaySettings
    let jobs: JobRepository
    let identity: IdentityRepository
    let client: InternalClient

    func add() {
        api.add("listJobs") { request, _, access in
            let caller = try access.user
            var filter = JobRepository.Filter(projects: try caller.projectFilter(request.query("project")))
            filter.state = try request.query("state").map(Self.state)
            if let priority = request.query("priority") {
                guard let known = Priority(name: priority) else {
                    throw Problem.badRequest("request.invalid-parameter", "priority must be urgent, normal or low, not '\(priority)'")
                }
                filter.priority = known.rawValue
            }
            filter.name = request.query("name")
            filter.submitter = request.query("submitter")
            filter.since = try request.query("since").map { try Self.date($0, "since") }
            filter.until = try request.query("until").map { try Self.date($0, "until") }
            filter.tags = try request.tagFilters()
            let limit = try request.query("limit", in: 1...500, fallback: 50)
            let after = try request.query("cursor").map(JobCursor.decode)
            let items = try await jobs.list(filter, after: after, limit: limit + 1)
            let page = Array(items.prefix(limit))
            return HTTPResponses.json(GatewayJobPage(items: page, next: items.count > limit ? page.last.map(JobCursor.encode) : nil))
        }
        api.add("getJob") { _, context, access in GatewayJSON.response(try await job(context, access)) }
        api.add("listJobArtifacts") { _, context, access in
            let job = try await job(context, access)
            return try await client.forward("publish", .GET, "/jobs/\(Self.escape(job.id))/artifacts")
        }
        api.add("downloadJobArtifact") { _, context, access in
            let job = try await job(context, access)
            let name = try context.path("name")
            return try await client.forward("publish", .GET, "/jobs/\(Self.escape(job.id))/artifacts/\(Self.escape(name))")
        }
        api.add("getJobErrors") { _, context, access in
            let job = try await job(context, access)
            return try await client.forward("validate", .GET, "/jobs/\(Self.escape(job.id))/errors")
        }
        api.add("rerunJob") { request, context, access in
            let earlier = try await job(context, access)
            let buffer = try await BodyReader.bytes(request, limit: 64 << 10)
            let body = buffer.readableBytes == 0 ? RerunBody()
                : try BodyReader.decode(RerunBody.self, Data(buffer.readableBytesView))
            let stages = body.stages ?? .analysisOnly
            guard stages == .analysisOnly || stages == .publishOnly else {
                throw Problem.badRequest("gateway.rerun-stages", "a re-run is analysis-only or publish-only")
            }
            let submit = JobSubmit(name: earlier.name, source: .job(earlier.id),
                                   tags: earlier.tags.isEmpty ? nil : earlier.tags, options: JobOptions(stages: stages),
                                   project: earlier.project)
            let digest = Self.sha256(Data("rerunJob \(earlier.id) \(stages.rawValue)".utf8))
            return try await submitJob(submit, request: request, access: access, digest: digest)
        }
        api.add("rerunDatasets") { request, context, access in
            let project = try context.path("project")
            try access.enter(project, "project \(project)")
            let body = try await BodyReader.decode(RerunRequest.self, request, limit: 64 << 10)
            guard !body.tags.isEmpty else {
                throw Problem.badRequest("gateway.rerun-needs-tags",
                                         "give at least one tag to select datasets, e.g. {\"tags\": {\"category\": \"science\"}}")
            }
            let stages = body.stages ?? .analysisOnly
            guard stages == .analysisOnly || stages == .publishOnly else {
                throw Problem.badRequest("gateway.rerun-stages", "a re-run is analysis-only or publish-only")
            }
            var submitted: [GatewayJob] = []
            for earlier in try await jobs.latestPerDataset(project: project, tags: body.tags) {
                let submit = JobSubmit(name: earlier.name, source: .job(earlier.id), tags: earlier.tags,
                                       options: JobOptions(stages: stages), project: project)
                submitted.append(try await self.submit(submit, request: request, access: access, digest: nil,
                                                       idempotent: false).0)
            }
            access.target(project)
            return HTTPResponses.json(submitted, status: .accepted)
        }
        addSubmit()
    }

    /// The job named in the path, if the caller sees its project (404 otherwise).
    func job(_ context: SluiceRequestContext, _ access: Access) async throws -> GatewayJob {
        let id = try context.path("job")
        guard let job = try await jobs.find(id) else { throw Problem.notFound("job \(id)") }
        try access.enter(job.project, "job \(id)")
        access.target(id)
        return job
    }

    /// A state to filter by; the names before job control (`published`, `submitted`,
    /// `ingested`) still work.
    static func state(_ text: String) throws -> String {
        let aliases = ["published": JobState.completed, "submitted": .queued, "ingested": .inProgress]
        guard let state = JobState(rawValue: text) ?? aliases[text] else {
            throw Problem.badRequest("request.invalid-parameter",
                                     "state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return state.rawValue
    }

    static func date(_ text: String, _ name: String) throws -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text) { return date }
        throw Problem.badRequest("request.invalid-parameter", "\(name) must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }
}

/// `POST /api/v1/jobs/{job}/rerun`.
struct RerunBody: Codable, Sendable {
    var stages: JobOptions.Stages?
}

/// The opaque cursor of `GET /api/v1/jobs`: the last job's submit time and id.
enum JobCursor {
    static func encode(_ job: GatewayJob) -> String {
        let text = "\(Int64((job.submittedAt.timeIntervalSince1970 * 1_000_000).rounded()))|\(job.id)"
        return Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) throws -> (Date, String) {
        var text = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let plain = String(data: data, encoding: .utf8) else {
            throw Problem.badRequest("request.invalid-cursor", "the cursor is not one this API gave out")
        }
        let parts = plain.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let micros = Int64(parts[0]) else {
            throw Problem.badRequest("request.invalid-cursor", "the cursor is not one this API gave out")
        }
        return (Date(timeIntervalSince1970: Double(micros) / 1_000_000), String(parts[1]))
    }
}
