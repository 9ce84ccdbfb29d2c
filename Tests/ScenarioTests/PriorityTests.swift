import Contracts
import Foundation
@testable import TestSupport
import Testing

/// Priorities through the whole pipeline on a real broker and database: urgent work jumps
/// the line at every stage, and low work keeps its share.
@Suite("Priorities (real RabbitMQ and PostgreSQL)", .serialized)
struct PriorityTests {
    static func job(_ id: String, _ priority: Priority) -> JobSubmit {
        JobSubmit(jobId: id, idempotencyKey: id, name: id, source: .inline("id,score\n1,10\n2,20\n3,30\n"),
                  format: "csv", priority: priority)
    }

    /// Queues `jobs` while ingest is down, starts it, and returns the job ids in the order
    /// their `job.published` arrived.
    static func completionOrder(_ jobs: [JobSubmit], overrides: [String: String] = [:]) async throws -> [String] {
        let pipeline = try TestPipeline(overrides: overrides)
        try await pipeline.start(TestPipeline.all.filter { $0 != "ingest" })
        let tap = try await EventTap(prefix: pipeline.prefix, keys: ["job.published"])
        try await pipeline.submit(jobs)
        try await pipeline.start(["ingest"])
        let ended = try await TestEnvironment.eventually(timeout: .seconds(180), every: .milliseconds(200)) {
            tap.messages("job.published").count == jobs.count
        }
        let order = tap.messages("job.published").compactMap { $0.properties.headers["x-sluice-job-id"]?.stringValue }
        await tap.close()
        await pipeline.stopAll()
        #expect(ended, "published \(order.count) of \(jobs.count)")
        return order
    }

    @Test("with 40 low jobs queued, an urgent job submitted last finishes before at least 30 of them")
    func urgentJumpsTheLine() async throws {
        let run = UUID().uuidString.prefix(8).lowercased()
        let lows = (0..<40).map { Self.job("low-\(run)-\($0)", .low) }
        let urgent = Self.job("urgent-\(run)", .urgent)
        let order = try await Self.completionOrder(lows + [urgent])
        let position = try #require(order.firstIndex(of: urgent.jobId!), "\(order)")
        #expect(position <= 10, "the urgent job finished after \(position) of the 40 low jobs: \(order)")
        print("the urgent job finished after \(position) of the 40 low jobs")
    }

    @Test("under a steady urgent load low jobs keep completing at their share (1 in 9 with the default weights)")
    func lowJobsKeepTheirShare() async throws {
        let run = UUID().uuidString.prefix(8).lowercased()
        let urgent = (0..<90).map { Self.job("u-\(run)-\($0)", .urgent) }
        let lows = (0..<9).map { Self.job("l-\(run)-\($0)", .low) }
        // One slot per service, so every stage serves strictly by lane weight.
        let order = try await Self.completionOrder(lows + urgent, overrides: ["consumer.concurrency": "1"])
        let firstHalf = order.prefix(40)
        let lowsEarly = firstHalf.filter { $0.hasPrefix("l-") }.count
        #expect(lowsEarly >= 3, "low jobs among the first 40 finished: \(lowsEarly) (\(order))")
        #expect(lowsEarly <= 8, "low work took more than its share: \(lowsEarly)")
        // 8 urgent to 1 low: the ninth low job is done around the 81st of 99, while urgent work remains.
        let lastLow = try #require(order.lastIndex { $0.hasPrefix("l-") })
        #expect(lastLow < order.count - 5, "the low jobs waited for the urgent ones: the last finished at \(lastLow) of \(order.count)")
        print("low jobs finished at", order.indices.filter { order[$0].hasPrefix("l-") })
    }
}
