import Contracts
import Foundation
import Runtime
import Storage

/// Before a job is read: operators' controls and the rate limits decide whether it goes on
/// now; and what becomes of a job stopped before or while it is read.
extension SubmitHandler {
    /// Lets the job in, or throws ``IngestStop``: it (or its project, as the payload names it)
    /// is paused or cancelled, or a rate limit holds it. Admitted, the job's history and state
    /// say so before its first chunk.
    /// Returns the call-step item limit the job runs under.
    func admit(_ submission: Envelope<JobSubmit>, job: JobContext, runtime: RuntimeContext,
               traceparent: String?) async throws -> ItemRate? {
        switch runtime.controls.verdict(jobId: job.jobId, project: submission.project) {
        case .run: break
        case .hold: throw IngestStop.paused
        case .drop: throw IngestStop.cancelled
        }
        let user = submission.payload.submittedBy ?? "anonymous"
        let limiter = RateLimiter(runtime: runtime, defaults: limits)
        if case .limited(let until, let reason) = try await limiter.admit(jobId: job.jobId, user: user,
                                                                          project: submission.project ?? "default") {
            throw IngestStop.rateLimited(until: until, reason: reason)
        }
        await runtime.note(JobStatusChanged(jobId: job.jobId, state: .dispatched, service: "ingest"),
                           id: "status/\(job.jobId)/dispatched", causedBy: submission, traceparent: traceparent)
        // Only a plan with a call step has items (a stored plan may have one).
        let plan = submission.payload.plan
        guard submission.payload.planName != nil || plan?.steps.contains(where: { $0.op == "call" }) == true else { return nil }
        return try await limiter.itemRate(submission.project ?? "default")
    }

    /// Paused: the submission is held, and on resume comes back and reads the input again
    /// (the chunks sent so far have the same ids, so the stages drop the repeats). Rate
    /// limited: held until its time, then sent back by itself (not an attempt). Cancelled:
    /// the job ends here, quietly.
    func stopped(_ stop: IngestStop, _ submission: Envelope<JobSubmit>, job: JobContext, outcome: JobOutcome,
                 runtime: RuntimeContext, traceparent: String?) async throws {
        let queue = runtime.topology.queue(runtime.service, lane: submission.priority ?? .normal)
        var verdict = JobControlBoard.Verdict.drop
        switch stop {
        case .cancelled:
            break
        case .paused:
            verdict = try await runtime.obeyControls(jobId: job.jobId, project: submission.project,
                                                     message: try runtime.heldMessage(submission, queue: queue), queue: queue)
        case .rateLimited(let until, let reason):
            let held = JobControls.Held(jobId: job.jobId, project: submission.project ?? "default", reason: "rate_limited",
                                        notBefore: until, queue: queue, message: try runtime.heldMessage(submission, queue: queue))
            try await runtime.database.transaction { connection in
                try await JobControls.insert(held, on: connection, logger: runtime.logger)
            }
            runtime.logger.info("job rate limited", metadata: ["job_id": "\(job.jobId)", "until": "\(until)", "reason": "\(reason)"])
            let stamp = Int(until.timeIntervalSince1970 * 1000)
            await runtime.note(JobStatusChanged(jobId: job.jobId, state: .rateLimited, service: "ingest", reason: reason,
                                                notBefore: until),
                               id: "status/\(job.jobId)/rate_limited/\(stamp)", causedBy: submission, traceparent: traceparent)
            return
        }
        switch verdict {
        case .hold:
            runtime.logger.info("job paused at ingest: submission held until it is resumed", metadata: ["job_id": "\(job.jobId)"])
        case .drop:
            try await outcome.cancel(job)
            runtime.logger.info("job cancelled at ingest", metadata: ["job_id": "\(job.jobId)"])
        case .run:
            throw SluiceError.transient("ingest.resumed", "the job was resumed while ingest was pausing it; reading it again")
        }
    }
}
