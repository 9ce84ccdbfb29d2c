import APIModels
import Catalog
import Contracts
import Foundation
import Messaging
import Runtime
@testable import TestSupport
import Testing

/// The incident service's side of `schedule.overdue` (the scheduler's side, sent once per
/// stretch, is `SchedulerOverlapTests.overdue`): each overdue schedule is one incident, its
/// reason in the text; a later stretch of the same schedule counts in it; a redelivered
/// message counts once.
@Suite("Overdue schedules become incidents (real RabbitMQ and PostgreSQL)")
struct OverdueIncidentTests {
    @Test("one incident per overdue schedule, grouped across stretches, a duplicate message counted once")
    func overdueIncidents() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start(["incident"])
        let topology = SluiceTopology(prefix: pipeline.prefix, subscriptions: ServiceCatalog.subscriptions)
        func message(_ schedule: String, stretch: Int) throws -> OutgoingMessage {
            let missed = [Date(timeIntervalSince1970: 1_800_000_000 + Double(stretch) * 86_400),
                          Date(timeIntervalSince1970: 1_800_086_400 + Double(stretch) * 86_400)]
            let overdue = ScheduleOverdue(scheduleId: "s-\(schedule)", name: schedule, project: "alpha", cron: "0 2 * * *",
                                          zone: "Europe/Madrid", lastFiredAt: nil, missedFires: missed,
                                          reason: "schedule \(schedule) (0 2 * * * in Europe/Madrid) has not submitted a job "
                                              + "for 2 of its fire times")
            let id = "schedule/s-\(schedule)/overdue/\(stretch)"
            let envelope = Envelope(id: id, jobId: nil, correlationId: id, causationId: nil, producer: "scheduler",
                                    project: "alpha", payload: overdue)
            return OutgoingMessage(exchange: topology.eventsExchange, routingKey: MessageType.scheduleOverdue.rawValue,
                                   body: try JSONCoding.encode(envelope),
                                   properties: MessageProperties(messageId: id, type: MessageType.scheduleOverdue.rawValue))
        }
        let nightly = "nightly-\(pipeline.prefix)", weekly = "weekly-\(pipeline.prefix)"
        try await pipeline.publisher.publish([try message(nightly, stretch: 1), try message(nightly, stretch: 1),
                                              try message(nightly, stretch: 2), try message(weekly, stretch: 1)])
        var incidents: [Incident] = []
        let settled = try await TestEnvironment.eventually(timeout: .seconds(60), every: .milliseconds(250)) {
            incidents = try await pipeline.getJSON([Incident].self, "incident", "/incidents")
                .filter { $0.errorType == "scheduler.schedule-overdue" }
            return incidents.map(\.count).sorted() == [1, 2]
        }
        #expect(settled, "\(incidents.map { ($0.sampleError, $0.count) })")
        let forNightly = try #require(incidents.first { $0.sampleError.contains(nightly) })
        #expect(forNightly.count == 2 && forNightly.service == "scheduler" && forNightly.state == "open")
        #expect(forNightly.sampleError.contains("has not submitted a job"))
        #expect(incidents.first { $0.sampleError.contains(weekly) }?.id != forNightly.id)
        // Nothing more arrives: the duplicate stays counted once.
        try await Task.sleep(for: .seconds(1))
        let again = try await pipeline.getJSON([Incident].self, "incident", "/incidents").filter { $0.errorType == "scheduler.schedule-overdue" }
        #expect(again.map(\.count).sorted() == [1, 2])
        await pipeline.stopAll()
    }
}
