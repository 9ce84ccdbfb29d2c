import APIModels
import Contracts
import Foundation
@testable import SchedulerService
import Testing

/// What each schedule action needs, checked when the schedule is made.
@Suite("Schedule actions: validation")
struct ScheduleActionValidationTests {
    func request(job: JobSubmit?, action: ScheduleAction?) -> ScheduleRequest {
        ScheduleRequest(name: "n", cron: "@daily", job: job, action: action, project: "p")
    }

    @Test("submit needs a job; the others have none; rerun needs tags and analysis-only or publish-only; digest somewhere to go")
    func rules() throws {
        let job = JobSubmit(source: .path("/a.csv"))
        #expect(try request(job: job, action: nil).validated().action == nil)
        #expect(try request(job: job, action: ScheduleAction(kind: .submit)).validated().action == nil, "submit is the default")
        #expect(throws: SluiceError.self) { try request(job: nil, action: nil).validated() }
        #expect(throws: SluiceError.self) { try request(job: job, action: ScheduleAction(kind: .cleanup)).validated() }
        let cleanup = try request(job: nil, action: ScheduleAction(kind: .cleanup)).validated()
        #expect(cleanup.action?.kind == .cleanup && cleanup.job == nil && cleanup.project == "p")
        #expect(throws: SluiceError.self) { try request(job: nil, action: ScheduleAction(kind: .rerun)).validated() }
        #expect(throws: SluiceError.self) {
            try request(job: nil, action: ScheduleAction(kind: .rerun, tags: ["k": "v"], stages: .all)).validated()
        }
        #expect(try request(job: nil, action: ScheduleAction(kind: .rerun, tags: ["k": "v"], stages: .publishOnly)).validated()
            .action?.tags == ["k": "v"])
        #expect(throws: SluiceError.self) { try request(job: nil, action: ScheduleAction(kind: .digest)).validated() }
        #expect(try request(job: nil, action: ScheduleAction(kind: .digest, emails: ["a@b.c"])).validated().action?.kind == .digest)
    }
}
