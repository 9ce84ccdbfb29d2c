import APIModels
import Contracts
import Foundation
import Runtime

extension SchedulerLoop {
    /// The history line of an action's fire: the message it sends.
    static func actionLine(_ action: ScheduleAction, of schedule: Schedule, at fireTime: Date, suffix: String = "") throws -> String {
        let id = "schedule/\(schedule.id)/\(Int64(fireTime.timeIntervalSince1970))\(suffix)"
        switch action.kind {
        case .submit: throw SluiceError.permanent("scheduler.invalid-action", "a submit action sends its job")
        case .cleanup: return "sent cleanup.requested \(id)"
        case .rerun: return "sent rerun.requested \(id)"
        case .datasets: return "sent rerun.requested \(id) (batch \(RerunRequested.batchId(ofRequest: id)))"
        case .digest: return "sent digest.requested \(id)"
        case .metrics: return "sent metrics.compute \(id)"
        }
    }

    /// A `datasets` schedule's `rerun.requested` for its fire at `fireTime`: the catalog part
    /// its tags select, run for the fire's day in its zone (the jobs' `runDate`, as a submit
    /// schedule's), as the batch ``RerunRequested/batchId(ofRequest:)`` names.
    static func catalogRequest(for schedule: Schedule, at fireTime: Date, suffix: String = "") -> Envelope<RerunRequested> {
        let id = "schedule/\(schedule.id)/\(Int64(fireTime.timeIntervalSince1970))\(suffix)"
        let zone = TimeZone(identifier: schedule.zone) ?? .gmt
        let day = ScheduleParameters.values(fireTime: fireTime, periodStart: nil, zone: zone)["scheduledDate"]
        let action = schedule.action
        return Envelope(id: id, jobId: nil, correlationId: id, causationId: nil, producer: "scheduler", occurredAt: fireTime,
                        project: schedule.project,
                        payload: RerunRequested(project: schedule.project, tags: action?.tags ?? [:], stages: action?.stages,
                                                requestedBy: "schedule:\(schedule.name)", catalog: true, runDate: day))
    }

    /// Sends what a fire of a schedule whose action is not `submit` sends, through `emitter`
    /// (the tick's outbox), with an id from schedule and fire time (`suffix` for a run now).
    /// Returns a line for its history.
    static func emitAction(_ action: ScheduleAction, of schedule: Schedule, at fireTime: Date, suffix: String = "",
                           emitter: Emitter) throws -> String {
        let stamp = Int64(fireTime.timeIntervalSince1970)
        let id = "schedule/\(schedule.id)/\(stamp)\(suffix)"
        let by = "schedule:\(schedule.name)"
        func envelope<P: MessagePayload>(_ payload: P) -> Envelope<P> {
            Envelope(id: id, jobId: nil, correlationId: id, causationId: nil, producer: "scheduler", occurredAt: fireTime,
                     project: schedule.project, payload: payload)
        }
        switch action.kind {
        case .submit:
            throw SluiceError.permanent("scheduler.invalid-action", "a submit action sends its job")
        case .cleanup:
            try emitter.emit(envelope(CleanupRequested(requestedBy: by)))
        case .rerun:
            try emitter.emit(envelope(RerunRequested(project: schedule.project, tags: action.tags ?? [:], stages: action.stages,
                                                     requestedBy: by)))
        case .datasets:
            try emitter.emit(catalogRequest(for: schedule, at: fireTime, suffix: suffix))
        case .digest:
            // The period that just ended: from the fire before this one to this one.
            let zone = TimeZone(identifier: schedule.zone) ?? .gmt
            let start = (try? CronExpression(schedule.cron))?.previous(before: fireTime, in: zone) ?? fireTime.addingTimeInterval(-86_400)
            try emitter.emit(envelope(DigestRequested(title: schedule.name, project: schedule.project, periodStart: start,
                                                      periodEnd: fireTime, emails: action.emails ?? [], chat: action.chat ?? [])))
        case .metrics:
            try emitter.emit(envelope(MetricsCompute(names: action.metrics, before: fireTime, requestedBy: by)))
        }
        return try actionLine(action, of: schedule, at: fireTime, suffix: suffix)
    }
}
