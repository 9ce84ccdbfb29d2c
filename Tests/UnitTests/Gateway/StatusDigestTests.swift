import Foundation
@testable import GatewayService
import Testing

/// The status digest as people read it.
@Suite("Status digest")
struct StatusDigestTests {
    @Test("subject with the totals; jobs by state, incidents opened and resolved, busy queues; what was missing is said")
    func render() {
        var digest = StatusDigest(jobs: ["completed": 11, "failed": 1], incidentsOpened: ["validate: schema.type on chunk.ingested"],
                                  incidentsResolved: [], incidentsOpen: 2, queues: [("sluice.validate", 40, 2)])
        let start = Date(timeIntervalSince1970: 1_764_896_400)
        var (subject, text) = digest.render(title: "daily-status", project: "alpha", start: start,
                                            end: start.addingTimeInterval(86_400))
        #expect(subject == "[Sluice] daily-status: 12 jobs, 1 failed, 1 incident opened")
        #expect(text.contains("(project alpha)") && text.contains("Period: 2025-12-05T01:00:00Z to 2025-12-06T01:00:00Z"), "\(text)")
        #expect(text.contains("  completed: 11") && text.contains("  failed: 1"))
        #expect(text.contains("Incidents opened: 1; resolved: 0; open now: 2") && text.contains("opened: validate: schema.type"))
        #expect(text.contains("sluice.validate: 40 ready, 2 in progress"))
        digest.queues = []
        digest.missing = ["queues (the RabbitMQ management API did not answer)"]
        (subject, text) = digest.render(title: "d", project: nil, start: start, end: start)
        #expect(text.contains("Queues: nothing waiting") && text.contains("Not available when the digest was made: queues"))
    }
}
