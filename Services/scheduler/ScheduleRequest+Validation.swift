import APIModels
import Contracts
import Foundation
import Runtime
import Toolkit

extension ScheduleRequest {
    /// The schedule this request describes, checked (expression, zone, window, range, jitter),
    /// with its first fire from now on; a permanent ``SluiceError`` names what is wrong.
    func validated() throws -> Schedule {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SluiceError.permanent("scheduler.invalid-request", "a schedule needs a name")
        }
        let expression: CronExpression
        do { expression = try CronExpression(cron) } catch {
            throw SluiceError.permanent(error.code, error.message)
        }
        let zoneName = zone ?? "UTC"
        guard let timeZone = TimeZone(identifier: zoneName) else {
            throw SluiceError.permanent("scheduler.invalid-zone",
                                        "unknown time zone '\(zoneName)': use an IANA name such as Europe/Madrid")
        }
        if let window = catchUp?.windowSeconds, !(0...315_360_000).contains(window) {
            throw SluiceError.permanent("scheduler.invalid-request",
                                        "catchUp.windowSeconds must be 0 to 315360000 (ten years), got \(window)")
        }
        if let startAt, let endAt, endAt <= startAt {
            throw SluiceError.permanent("scheduler.invalid-request", "endAt must be after startAt")
        }
        if let jitterSeconds, !(0...Jitter.maxSeconds).contains(jitterSeconds) {
            throw SluiceError.permanent("scheduler.invalid-request",
                                        "jitterSeconds must be 0 to \(Jitter.maxSeconds), got \(jitterSeconds)")
        }
        try Self.check(action: action ?? ScheduleAction(kind: .submit), job: job)
        return Schedule(id: MessageID.hash("schedule", name), name: name, cron: cron, zone: timeZone.identifier, job: job,
                        action: action.flatMap { $0.kind == .submit ? nil : $0 }, project: project ?? job?.project,
                        enabled: enabled ?? true,
                        nextFireAt: ScheduleRoutes.firstFire(expression, zone: timeZone, startAt: startAt, endAt: endAt),
                        catchUp: catchUp, startAt: startAt, endAt: endAt, overlap: overlap ?? .skip,
                        jitterSeconds: jitterSeconds ?? 0)
    }

    /// What each action needs: a job to submit, tags to re-run, somewhere to send a digest.
    private static func check(action: ScheduleAction, job: JobSubmit?) throws {
        func refuse(_ message: String) -> SluiceError { SluiceError.permanent("scheduler.invalid-action", message) }
        if action.kind != .submit, job != nil {
            throw refuse("a \(action.kind.rawValue) schedule has no job: leave `job` out")
        }
        switch action.kind {
        case .submit:
            guard job != nil else { throw refuse("a schedule that submits a job needs `job` (a job.submit body)") }
        case .rerun:
            guard let tags = action.tags, !tags.isEmpty else {
                throw refuse("a rerun schedule needs `action.tags` to select datasets, e.g. {\"category\": \"science\"}")
            }
            guard [nil, .analysisOnly, .publishOnly].contains(action.stages) else {
                throw refuse("a rerun is analysis-only or publish-only")
            }
        case .datasets:
            break
        case .digest:
            guard !(action.emails ?? []).isEmpty || !(action.chat ?? []).isEmpty else {
                throw refuse("a digest schedule needs `action.emails` or `action.chat` to send it to")
            }
        case .cleanup, .metrics:
            break
        }
    }

    /// The request that would create `schedule` as it is.
    init(_ schedule: Schedule) {
        self.init(name: schedule.name, cron: schedule.cron, zone: schedule.zone, job: schedule.job, action: schedule.action,
                  project: schedule.project, enabled: schedule.enabled,
                  catchUp: schedule.catchUp, startAt: schedule.startAt, endAt: schedule.endAt, overlap: schedule.overlap,
                  jitterSeconds: schedule.jitterSeconds)
    }

    /// `self` with a JSON merge patch (RFC 7396) applied: members of `patch` replace these,
    /// `null` removes an optional one, objects merge member by member. The name cannot change.
    func merging(patch: Data) throws -> ScheduleRequest {
        guard let changes = try? JSONSerialization.jsonObject(with: patch) as? [String: Any] else {
            throw SluiceError.permanent("scheduler.invalid-request", "an edit is a JSON object of the fields to change")
        }
        if let renamed = changes["name"] as? String, renamed != name {
            throw SluiceError.permanent("scheduler.invalid-request",
                                        "a schedule's name cannot change; add a schedule with the new name and remove this one")
        }
        let current = try JSONSerialization.jsonObject(with: Data(JSONCoding.encode(self))) as? [String: Any] ?? [:]
        let merged = JSONMergePatch.apply(changes, to: current)
        do {
            return try JSONCoding.decoder().decode(ScheduleRequest.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch {
            throw SluiceError.permanent("scheduler.invalid-request", "invalid edit: \(describe(error))")
        }
    }
}
