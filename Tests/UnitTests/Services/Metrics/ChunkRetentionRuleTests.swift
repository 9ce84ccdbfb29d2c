import APIModels
@testable import MetricsService
import Testing

/// Which finished jobs keep their chunks: the incident service's answer decides, and a failed
/// job it has not recorded yet is kept (its incident may be opening right now).
@Suite("Chunk retention rule")
struct ChunkRetentionRuleTests {
    let jobs: [(jobId: String, failed: Bool)] = [("published", false), ("failed-held", true),
                                                 ("failed-resolved", true), ("failed-unrecorded", true)]

    @Test("held by an unresolved incident, or failed and not recorded yet; resolved and published go")
    func kept() {
        let answer = HeldJobs(held: ["failed-held"], recorded: ["failed-held", "failed-resolved"])
        #expect(ChunkRetention.kept(jobs, answer: answer) == ["failed-held", "failed-unrecorded"])
    }

    @Test("an answer without `recorded` (an older incident service) holds only what it names")
    func olderAnswer() {
        #expect(ChunkRetention.kept(jobs, answer: HeldJobs(held: ["failed-held"])) == ["failed-held"])
    }

    @Test("a published job is never held for want of a record")
    func publishedNotHeld() {
        #expect(ChunkRetention.kept([("published", false)], answer: HeldJobs(held: [], recorded: [])).isEmpty)
    }
}
