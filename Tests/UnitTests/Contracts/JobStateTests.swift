import Contracts
import Testing

/// The job state machine as a plain value: what operators may do in each state, and what
/// observed events may move.
@Suite("Job state machine")
struct JobStateTests {
    @Test("pause, resume and cancel: allowed moves, no-ops and refusals with a clear error")
    func actions() throws {
        #expect(try JobState.inProgress.applying(.pause) == .paused)
        #expect(try JobState.queued.applying(.pause) == .paused)
        #expect(try JobState.paused.applying(.pause) == nil, "a repeated pause is a no-op")
        #expect(try JobState.paused.applying(.resume, resumeTo: .inProgress) == .inProgress)
        #expect(try JobState.paused.applying(.resume) == .queued)
        #expect(try JobState.paused.applying(.cancel) == .cancelled)
        #expect(try JobState.rateLimited.applying(.cancel) == .cancelled)
        #expect(try JobState.cancelled.applying(.cancel) == nil, "a repeated cancel is a no-op")
        #expect(throws: JobTransitionError(from: .inProgress, action: .resume)) { try JobState.inProgress.applying(.resume) }
        for ended in [JobState.completed, .failed, .skipped, .stored] {
            #expect(throws: JobTransitionError.self) { try ended.applying(.cancel) }
            #expect(throws: JobTransitionError.self) { try ended.applying(.pause) }
        }
        #expect(throws: JobTransitionError.self) { try JobState.cancelled.applying(.resume) }
        let error = JobTransitionError(from: .completed, action: .cancel)
        #expect(error.code == "job.invalid-transition")
        #expect(error.description == "the job is completed and cannot be cancelled any more; submit it again (or re-run it) instead")
        #expect(JobTransitionError(from: .retried, action: .resume).description
            == "the job is retried, not paused: only a paused job can be resumed")
    }

    @Test("ended states are final; a stalled job stays stalled until it ends; active states may skip ahead")
    func transitions() {
        for state in JobState.allCases where state.isTerminal { #expect(state.successors.isEmpty, "\(state)") }
        #expect(JobState.allCases.filter(\.isTerminal) == [.completed, .failed, .cancelled, .skipped, .stored])
        #expect(!JobState.stalled.canMove(to: .inProgress))
        #expect(JobState.stalled.canMove(to: .completed))
        #expect(JobState.queued.canMove(to: .inProgress), "an event may arrive before the one it follows")
        #expect(JobState.retried.canMove(to: .inProgress) && JobState.inProgress.canMove(to: .retried))
        #expect(!JobState.inProgress.canMove(to: .queued))
        #expect(JobState.rateLimited.canMove(to: .queued), "released from a rate limit")
        #expect(JobState(rawValue: "rate_limited") == .rateLimited && JobState(rawValue: "in_progress") == .inProgress)
    }
}
