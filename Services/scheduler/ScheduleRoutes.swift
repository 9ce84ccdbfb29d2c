import APIModels
import Contracts
import Foundation
import Hosting
import HTTPTypes
import Hummingbird
import Runtime

/// `POST /schedules`, `GET /schedules`, `DELETE /schedules/:id`, `GET /schedules/:id/fires`,
/// `POST /schedules/:id/backfill`.
enum ScheduleRoutes {
    static func add(to router: Router<SluiceRequestContext>, runtime: RuntimeContext) {
        let repository = ScheduleRepository(runtime: runtime)
        router.post("schedules") { request, context in
            let body = try await request.body.collect(upTo: 1 << 20)
            let input: ScheduleRequest
            do {
                input = try JSONCoding.decoder().decode(ScheduleRequest.self, from: body)
            } catch {
                return HTTPResponses.error(.badRequest, "scheduler.invalid-request", "invalid schedule: \(describe(error))")
            }
            let cron: CronExpression
            do { cron = try CronExpression(input.cron) } catch let error as CronError {
                return HTTPResponses.error(.badRequest, error.code, error.message)
            }
            guard !input.name.trimmingCharacters(in: .whitespaces).isEmpty else {
                return HTTPResponses.error(.badRequest, "scheduler.invalid-request", "a schedule needs a name")
            }
            let zoneName = input.zone ?? "UTC"
            guard let zone = TimeZone(identifier: zoneName) else {
                return HTTPResponses.error(.badRequest, "scheduler.invalid-zone",
                                           "unknown time zone '\(zoneName)': use an IANA name such as Europe/Madrid")
            }
            if let window = input.catchUp?.windowSeconds, !(0...315_360_000).contains(window) {
                return HTTPResponses.error(.badRequest, "scheduler.invalid-request",
                                           "catchUp.windowSeconds must be 0 to 315360000 (ten years), got \(window)")
            }
            if let start = input.startAt, let end = input.endAt, end <= start {
                return HTTPResponses.error(.badRequest, "scheduler.invalid-request", "endAt must be after startAt")
            }
            // The first fire: after now, and not before startAt (a fire exactly at startAt counts).
            let from = max(Date(), input.startAt.map { Date(timeIntervalSince1970: $0.timeIntervalSince1970.rounded(.up) - 1) }
                ?? .distantPast)
            var next = cron.next(after: from, in: zone)
            if let end = input.endAt, let time = next, time > end { next = nil }
            let schedule = Schedule(id: MessageID.hash("schedule", input.name), name: input.name, cron: input.cron,
                                    zone: zone.identifier, job: input.job, enabled: input.enabled ?? true,
                                    nextFireAt: next, catchUp: input.catchUp, startAt: input.startAt, endAt: input.endAt)
            try await repository.upsert(schedule)
            return HTTPResponses.json(schedule, status: .created)
        }
        router.get("schedules") { _, _ in HTTPResponses.json(try await repository.all()) }
        router.delete("schedules/:id") { _, context in
            let id = try context.parameters.require("id")
            guard try await repository.delete(id: id) else {
                return HTTPResponses.error(.notFound, "scheduler.not-found", "no schedule \(id)")
            }
            return HTTPResponses.json(["deleted": id])
        }
        // Runs the schedule for every fire time of a range (or lists them, dry).
        router.post("schedules/:id/backfill") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.body.collect(upTo: 1 << 16)
            let input: BackfillRequest
            do {
                input = try JSONCoding.decoder().decode(BackfillRequest.self, from: body)
            } catch {
                return HTTPResponses.error(.badRequest, "scheduler.invalid-request", "invalid backfill: \(describe(error))")
            }
            guard let schedule = try await repository.all().first(where: { $0.id == id }) else {
                return HTTPResponses.error(.notFound, "scheduler.not-found", "no schedule \(id)")
            }
            let actor = request.headers[HTTPField.Name("X-Sluice-Actor")!]
            do {
                let backfill = try await ScheduleBackfill(runtime: runtime).run(schedule, input, actor: actor)
                return HTTPResponses.json(backfill, status: backfill.dryRun ? .ok : .created)
            } catch let error as SluiceError where error.disposition == .permanent {
                return HTTPResponses.error(.badRequest, error.code, error.message)
            }
        }
        router.get("schedules/:id/fires") { _, context in
            let id = try context.parameters.require("id")
            return HTTPResponses.json(try await repository.fires(scheduleId: id, limit: 100))
        }
    }
}
