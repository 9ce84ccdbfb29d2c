import APIModels
import Contracts
import Foundation
import Hosting
import HTTPTypes
import Hummingbird
import Runtime

/// `POST /schedules`, `GET /schedules`, `PATCH|DELETE /schedules/:id`, `GET /schedules/:id/fires`,
/// `POST /schedules/:id/backfill`, `POST /schedules/:id/pause|resume`.
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
            do {
                let schedule = try input.validated()
                try await repository.upsert(schedule)
                return HTTPResponses.json(schedule, status: .created)
            } catch let error as SluiceError {
                return HTTPResponses.error(.badRequest, error.code, error.message)
            }
        }
        // An edit: a JSON merge patch of the schedule's request form. Its next fire stays
        // unless what decides fire times (expression, zone, start, end, jitter) changed.
        router.patch("schedules/:id") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let current = try await repository.get(id: id) else {
                return HTTPResponses.error(.notFound, "scheduler.not-found", "no schedule \(id)")
            }
            do {
                let edited = try ScheduleRequest(current).merging(patch: Data(body.readableBytesView)).validated()
                let timing = { (s: Schedule) in [s.cron, s.zone, "\(String(describing: s.startAt))",
                                                 "\(String(describing: s.endAt))", "\(s.jitterSeconds)", "\(s.enabled)"] }
                try await repository.upsert(edited, keepingNext: timing(edited) == timing(current))
                runtime.logger.info("schedule edited", metadata: ["schedule": "\(edited.name)"])
                return HTTPResponses.json(try await repository.get(id: id) ?? edited)
            } catch let error as SluiceError {
                return HTTPResponses.error(.badRequest, error.code, error.message)
            }
        }
        router.get("schedules") { _, _ in HTTPResponses.json(try await repository.all()) }
        router.delete("schedules/:id") { _, context in
            let id = try context.parameters.require("id")
            guard try await repository.delete(id: id) else {
                return HTTPResponses.error(.notFound, "scheduler.not-found", "no schedule \(id)")
            }
            return HTTPResponses.json(["deleted": id])
        }
        // Pause with a note; resume from the next fire after now (nothing paused is caught up).
        router.post("schedules/:id/pause") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.body.collect(upTo: 1 << 16)
            let input = body.readableBytes == 0 ? SchedulePause(note: nil)
                : (try? JSONCoding.decoder().decode(SchedulePause.self, from: body))
            guard let input else {
                return HTTPResponses.error(.badRequest, "scheduler.invalid-request", "a pause is {\"note\": \"why\"}")
            }
            guard try await repository.pause(id: id, note: input.note.map { String($0.prefix(2000)) }),
                  let paused = try await repository.get(id: id) else {
                return HTTPResponses.error(.notFound, "scheduler.not-found", "no schedule \(id)")
            }
            runtime.logger.info("schedule paused", metadata: ["schedule": "\(paused.name)", "note": "\(input.note ?? "")"])
            return HTTPResponses.json(paused)
        }
        router.post("schedules/:id/resume") { _, context in
            let id = try context.parameters.require("id")
            guard let schedule = try await repository.get(id: id) else {
                return HTTPResponses.error(.notFound, "scheduler.not-found", "no schedule \(id)")
            }
            let next = (try? CronExpression(schedule.cron)).flatMap {
                Self.firstFire($0, zone: TimeZone(identifier: schedule.zone) ?? .gmt, startAt: schedule.startAt,
                               endAt: schedule.endAt)
            }
            _ = try await repository.resume(schedule, next: next)
            let resumed = try await repository.get(id: id)
            return HTTPResponses.json(resumed ?? schedule)
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
            guard let schedule = try await repository.get(id: id) else {
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
        // Runs a schedule's action now (the gateway submits a job-submitting schedule itself).
        router.post("schedules/:id/run") { _, context in
            let id = try context.parameters.require("id")
            guard let schedule = try await repository.get(id: id) else {
                return HTTPResponses.error(.notFound, "scheduler.not-found", "no schedule \(id)")
            }
            guard let action = schedule.action else {
                return HTTPResponses.error(.badRequest, "scheduler.invalid-action",
                                           "schedule \(schedule.name) submits a job: run it through the gateway")
            }
            let now = Date()
            let sent = try await runtime.transaction { _, emitter in
                try SchedulerLoop.emitAction(action, of: schedule, at: now, suffix: "-run-" + MessageID.random().prefix(8),
                                             emitter: emitter)
            }
            runtime.logger.info("schedule run now", metadata: ["schedule": "\(schedule.name)", "sent": "\(sent)"])
            return HTTPResponses.json(ScheduleRunReceipt(schedule: schedule.name, action: action.kind, sent: sent),
                                      status: .accepted)
        }
        router.get("schedules/:id/fires") { _, context in
            let id = try context.parameters.require("id")
            return HTTPResponses.json(try await repository.fires(scheduleId: id, limit: 100))
        }
    }

    /// The first fire from now on: after now, not before `startAt` (a fire exactly at it
    /// counts, a fraction of a second after it does not), nil past `endAt`.
    static func firstFire(_ cron: CronExpression, zone: TimeZone, startAt: Date?, endAt: Date?) -> Date? {
        let now = Date()
        let first = startAt.map { $0 > now ? cron.next(atOrAfter: $0, in: zone) : nil } ?? cron.next(after: now, in: zone)
        guard let next = first else { return nil }
        return endAt.map { next > $0 ? nil : next } ?? next
    }
}
