import APIModels
import Contracts
import Foundation
import Hosting
import Hummingbird

/// The scheduler's schedules, per project (a schedule's project is its job's).
struct ScheduleProxyRoutes {
    let api: GatewayAPI
    let client: InternalClient
    let jobRoutes: JobRoutes

    /// `POST /api/v1/schedules`: the scheduler's request plus the project.
    struct NewSchedule: Codable, Sendable {
        var project: String?
        var name: String
        var cron: String
        var zone: String?
        var job: JobSubmit?
        var action: ScheduleAction?
        var enabled: Bool?
        var catchUp: CatchUp?
        var startAt: Date?
        var endAt: Date?
        var overlap: Overlap?
        var jitterSeconds: Int?
    }

    func add() {
        api.add("listSchedules") { request, _, access in
            let visible = try access.user.projectFilter(request.query("project"))
            let all = try await client.json([Schedule].self, "scheduler", .GET, "/schedules")
            return HTTPResponses.json(all.filter { visible?.contains(Self.project($0)) ?? true })
        }
        api.add("createSchedule") { request, _, access in
            let bytes = try await BodyReader.bytes(request, limit: 1 << 20)
            let data = Data(bytes.readableBytesView)
            let project = try jobRoutes.resolveProject(JobRoutes.ProjectField.named(in: data), access: access)
            var body = try BodyReader.decode(NewSchedule.self, data)
            let all = try await client.json([Schedule].self, "scheduler", .GET, "/schedules")
            if let same = all.first(where: { $0.name == body.name }), Self.project(same) != project {
                throw Problem(.conflict, "gateway.schedule-name-taken", "another project has a schedule named \(body.name)")
            }
            if var job = body.job {
                job.project = project
                job.submittedBy = nil
                job.schemaName = job.schemaName.map { "\(project).\($0)" }
                job.planName = job.planName.map { "\(project).\($0)" }
                body.job = job
            }
            access.target(body.name)
            let created = try await client.json(Schedule.self, "scheduler", .POST, "/schedules",
                                                body: ScheduleRequest(name: body.name, cron: body.cron, zone: body.zone,
                                                                      job: body.job, action: body.action, project: project,
                                                                      enabled: body.enabled,
                                                                      catchUp: body.catchUp, startAt: body.startAt,
                                                                      endAt: body.endAt, overlap: body.overlap,
                                                                      jitterSeconds: body.jitterSeconds),
                                                actor: try access.user.userName)
            return HTTPResponses.json(created, status: .created)
        }
        api.add("updateSchedule") { request, context, access in
            let schedule = try await schedule(context, access)
            let bytes = try await BodyReader.bytes(request, limit: 1 << 20)
            let patch = try Self.qualified(patch: Data(bytes.readableBytesView), project: Self.project(schedule))
            return HTTPResponses.json(try await client.json(Schedule.self, "scheduler", .PATCH,
                                                            "/schedules/\(JobRoutes.escape(schedule.id))", rawBody: ByteBuffer(bytes: patch),
                                                            actor: try access.user.userName))
        }
        api.add("getSchedule") { _, context, access in HTTPResponses.json(try await schedule(context, access)) }
        api.add("deleteSchedule") { _, context, access in
            let schedule = try await schedule(context, access)
            return try await client.forward("scheduler", .DELETE, "/schedules/\(JobRoutes.escape(schedule.id))",
                                            actor: try access.user.userName)
        }
        api.add("listScheduleFires") { _, context, access in
            let schedule = try await schedule(context, access)
            return try await client.forward("scheduler", .GET, "/schedules/\(JobRoutes.escape(schedule.id))/fires")
        }
        api.add("backfillSchedule") { request, context, access in
            let schedule = try await schedule(context, access)
            let bytes = try await BodyReader.bytes(request, limit: 1 << 16)
            let body = try BodyReader.decode(BackfillRequest.self, Data(bytes.readableBytesView))
            let backfill = try await client.json(Backfill.self, "scheduler", .POST,
                                                 "/schedules/\(JobRoutes.escape(schedule.id))/backfill", body: body,
                                                 actor: try access.user.userName)
            return HTTPResponses.json(backfill, status: backfill.dryRun ? .ok : .created)
        }
        api.add("pauseSchedule") { request, context, access in
            let schedule = try await schedule(context, access)
            let bytes = try await BodyReader.bytes(request, limit: 1 << 16)
            let body = bytes.readableBytes == 0 ? SchedulePause(note: nil)
                : try BodyReader.decode(SchedulePause.self, Data(bytes.readableBytesView))
            return HTTPResponses.json(try await client.json(Schedule.self, "scheduler", .POST,
                                                            "/schedules/\(JobRoutes.escape(schedule.id))/pause", body: body,
                                                            actor: try access.user.userName))
        }
        api.add("resumeSchedule") { _, context, access in
            let schedule = try await schedule(context, access)
            return HTTPResponses.json(try await client.json(Schedule.self, "scheduler", .POST,
                                                            "/schedules/\(JobRoutes.escape(schedule.id))/resume", body: [String: String](),
                                                            actor: try access.user.userName))
        }
        api.add("runSchedule") { request, context, access in
            let schedule = try await schedule(context, access)
            // An action other than a job is sent by the scheduler, which owns those messages.
            guard let job = schedule.job, schedule.action == nil else {
                let sent = try await client.json(ScheduleRunReceipt.self, "scheduler", .POST,
                                                 "/schedules/\(JobRoutes.escape(schedule.id))/run", body: [String: String](),
                                                 actor: try access.user.userName)
                return HTTPResponses.json(sent, status: .accepted)
            }
            // A run now is a fire at this moment: its parameters name now (an empty period).
            var submit = try ScheduleParameters.apply(
                ScheduleParameters.values(fireTime: Date(), periodStart: nil, zone: TimeZone(identifier: schedule.zone) ?? .gmt),
                to: job)
            submit.jobId = nil
            submit.idempotencyKey = nil
            submit.tags = (submit.tags ?? [:]).merging(["schedule": schedule.name]) { _, new in new }
            return try await jobRoutes.submitJob(submit, request: request, access: access,
                                                 digest: JobRoutes.sha256(Data("runSchedule \(schedule.id)".utf8)),
                                                 qualified: true)
        }
    }

    static func project(_ schedule: Schedule) -> String { schedule.project ?? schedule.job?.project ?? "default" }

    /// An edit (a JSON merge patch) as the scheduler takes it: the project cannot change, and a
    /// new job stays in the schedule's project with its definitions named in it.
    static func qualified(patch: Data, project: String) throws -> Data {
        guard var changes = (try? JSONSerialization.jsonObject(with: patch)) as? [String: Any] else {
            throw Problem(.badRequest, "gateway.invalid-request", "an edit is a JSON object of the fields to change")
        }
        if let moved = changes.removeValue(forKey: "project"), (moved as? String) != project {
            throw Problem(.badRequest, "gateway.invalid-request",
                          "a schedule's project cannot change; add one in the other project and remove this one")
        }
        if changes["job"] is NSNull { throw Problem(.badRequest, "gateway.invalid-request", "a schedule needs a job") }
        if var job = changes["job"] as? [String: Any] {
            job["project"] = project
            job["submittedBy"] = NSNull()
            for key in ["schemaName", "planName"] {
                if let name = job[key] as? String { job[key] = "\(project).\(name)" }
            }
            changes["job"] = job
        }
        return try JSONSerialization.data(withJSONObject: changes)
    }

    private func schedule(_ context: SluiceRequestContext, _ access: Access) async throws -> Schedule {
        let id = try context.path("schedule")
        let all = try await client.json([Schedule].self, "scheduler", .GET, "/schedules")
        guard let found = all.first(where: { $0.id == id || $0.name == id }) else { throw Problem.notFound("schedule \(id)") }
        try access.enter(Self.project(found), "schedule \(id)")
        access.target(found.name)
        return found
    }
}
