import APIModels
import Contracts
import Foundation
import Runtime

/// What a fire starts and follows to its end, so that overlap policies, buffering and the
/// fire history treat both alike: a job (a `submit` schedule's `job.submit`) or a catalog
/// batch (a `datasets` schedule's `rerun.requested`, whose batch id the gateway derives from
/// the message id). Other actions send their message and are not followed.
enum ScheduledRun: Sendable {
    case job(Envelope<JobSubmit>)
    case batch(Envelope<RerunRequested>)

    /// Whether `schedule`'s fires start runs that are followed (overlap, history, backfill):
    /// those that submit a job or run the catalog.
    static func follows(_ schedule: Schedule) -> Bool {
        [nil, .submit, .datasets].contains(schedule.action?.kind)
    }

    /// The run of `schedule` for its fire at `fireTime` (`suffix` tells a backfill's run from
    /// the fire itself); nil for an action that is not followed.
    static func of(_ schedule: Schedule, at fireTime: Date, suffix: String = "") throws -> ScheduledRun? {
        guard follows(schedule) else { return nil }
        return schedule.action?.kind == .datasets
            ? .batch(SchedulerLoop.catalogRequest(for: schedule, at: fireTime, suffix: suffix))
            : .job(try SchedulerLoop.submission(for: schedule, at: fireTime, suffix: suffix))
    }

    /// The job id or the batch id.
    var id: String {
        switch self {
        case .job(let envelope): envelope.payload.jobId ?? envelope.id
        case .batch(let envelope): RerunRequested.batchId(ofRequest: envelope.id)
        }
    }

    /// `job` or `batch` (column `runs.kind`).
    var kind: String {
        switch self {
        case .job: "job"
        case .batch: "batch"
        }
    }

    /// Sends it (through the caller's outbox).
    func emit(to emitter: Emitter) throws {
        switch self {
        case .job(let envelope): try emitter.emit(envelope)
        case .batch(let envelope): try emitter.emit(envelope)
        }
    }

    /// The message as kept for a waiting run.
    func encoded() throws -> String {
        switch self {
        case .job(let envelope): String(decoding: try JSONCoding.encode(envelope), as: UTF8.self)
        case .batch(let envelope): String(decoding: try JSONCoding.encode(envelope), as: UTF8.self)
        }
    }

    /// A kept message of `kind`, back.
    static func decode(kind: String, _ json: String) throws -> ScheduledRun {
        kind == "batch" ? .batch(try JSONCoding.decode(Envelope<RerunRequested>.self, from: Array(json.utf8)))
            : .job(try JSONCoding.decode(Envelope<JobSubmit>.self, from: Array(json.utf8)))
    }

    /// The `job.control` that cancels the run `id` of `kind` for `schedule`'s fire at
    /// `fireTime` (the `cancelRunning` overlap policy): a job's own, or the batch's, which the
    /// gateway applies to each of its jobs.
    static func cancel(_ id: String, kind: String, by schedule: Schedule, firing fireTime: Date) -> Envelope<JobControl> {
        let stamp = Int64(fireTime.timeIntervalSince1970)
        let batch = kind == "batch"
        let note = "schedule \(schedule.name) fired at \(ISO8601DateFormatter().string(from: fireTime)); "
            + "its overlap policy cancels the running \(batch ? "batch" : "job")"
        return Envelope(id: "schedule/\(schedule.id)/\(stamp)/cancel/\(id)", jobId: batch ? nil : id,
                        correlationId: batch ? "batch/\(id)" : id, causationId: nil, producer: "scheduler",
                        project: schedule.project,
                        payload: JobControl(action: .cancel, scope: batch ? .batch : .job, target: id,
                                            requestedBy: "scheduler", note: note))
    }
}
