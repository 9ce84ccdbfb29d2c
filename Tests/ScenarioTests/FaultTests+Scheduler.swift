import APIModels
import Contracts
import Foundation
import Outbound
import PostgresNIO
@testable import TestSupport
import Testing

extension FaultTests {
    /// Two scheduler replicas as child processes and an every-minute schedule: the leader is
    /// frozen with SIGSTOP for 15 s across a minute boundary. The other fires that minute on
    /// time; when the leader thaws nothing is fired again; the next minute fires once.
    @Test("the scheduler's leader paused (SIGSTOP 15 s) across a fire: no fire lost, none doubled")
    func schedulerLeaderPaused() async throws {
        let prefix = TestEnvironment.uniquePrefix("sp")
        try await TestEnvironment.createSchemas(prefix: prefix, services: ["scheduler"])
        let ports = [try env.freePort(), try env.freePort()]
        func start(_ index: Int) throws -> ServiceProcess {
            try ServiceProcess("scheduler", prefix: prefix, overrides: ["http.port": "\(ports[index])", "scheduler.tick.ms": "200"],
                               logLevel: "info")
        }
        func health(_ index: Int) async -> SchedulerHealth? {
            struct Body: Decodable { let scheduler: SchedulerHealth? }
            guard let response = try? await Outbound.get(url: "http://127.0.0.1:\(ports[index])/health", timeout: .seconds(2)),
                  response.status == 200 else { return nil }
            return (try? JSONCoding.decode(Body.self, from: response.body))?.scheduler
        }
        let first = try start(0)
        #expect(try await env.eventually(timeout: .seconds(60)) { await health(0)?.state == "running" })
        let second = try start(1)
        #expect(try await env.eventually(timeout: .seconds(60)) { await health(1)?.replicas.count == 2 })
        let leader = try #require(await health(1)?.leader)
        #expect(await health(0)?.replica == leader, "the replica started first leads")

        let name = "minutely-\(prefix)"
        let body = ScheduleRequest(name: name, cron: "* * * * *", job: JobSubmit(source: .inline("a\n1\n")), overlap: .allowAll)
        let created = try await Outbound.post(url: "http://127.0.0.1:\(ports[1])/schedules", body: JSONCoding.encode(body),
                                              timeout: .seconds(5))
        #expect(created.status == 201)
        let scheduleId = MessageID.hash("schedule", name)
        // Freeze the leader 3 s before a minute boundary (at least 10 s away) and thaw it 15 s later.
        let now = Date().timeIntervalSince1970
        var boundary = (now / 60).rounded(.up) * 60
        if boundary - now < 10 { boundary += 60 }
        try await Task.sleep(for: .seconds(boundary - 3 - Date().timeIntervalSince1970))
        kill(first.process.processIdentifier, SIGSTOP)
        try await Task.sleep(for: .seconds(15))
        kill(first.process.processIdentifier, SIGCONT)
        // And the next minute, with both running again.
        try await Task.sleep(for: .seconds(boundary + 60 + 5 - Date().timeIntervalSince1970))

        let schema = TestEnvironment.schema("scheduler", prefix: prefix)
        let (fires, sent) = try await env.withDatabase(env.adminDatabase(schema: schema)) { db in
            var fires: [(Date, Date, String)] = []
            for try await row in try await db.query("""
                SELECT fire_time, fired_at, outcome FROM fires WHERE schedule_id = \(scheduleId) ORDER BY fire_time
                """, logger: env.logger).decode((Date, Date, String).self) {
                fires.append(row)
            }
            var sent: [String: Int] = [:]
            for try await (id, count) in try await db.query("""
                SELECT message_id, count(*)::int FROM outbox WHERE message_id LIKE \("schedule/\(scheduleId)/%")
                GROUP BY message_id
                """, logger: env.logger).decode((String, Int).self) {
                sent[id] = count
            }
            return (fires, sent)
        }
        let frozen = Date(timeIntervalSince1970: boundary)
        let times = fires.map(\.0)
        #expect(times.contains(frozen) && times.contains(frozen.addingTimeInterval(60)), "\(fires)")
        #expect(zip(times, times.dropFirst()).allSatisfy { $1.timeIntervalSince($0) == 60 }, "no minute lost: \(times)")
        #expect(fires.allSatisfy { $0.2 == "fired" }, "\(fires)")
        let during = try #require(fires.first { $0.0 == frozen })
        #expect(during.1.timeIntervalSince(frozen) < 5, "the other replica fired on time, not after the thaw: \(during)")
        #expect(sent.count == fires.count && sent.values.allSatisfy { $0 == 1 }, "one submission per fire: \(sent)")
        #expect(first.isRunning && second.isRunning)
        await first.terminate()
        await second.terminate()
    }
}
