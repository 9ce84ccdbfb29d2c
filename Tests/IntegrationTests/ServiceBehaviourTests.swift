import APIModels
import Contracts
import Foundation
import Hummingbird
import Messaging
import Outbound
@testable import SchedulerService
@testable import TestSupport
import Testing
import Toolkit

/// Retry through delay queues, webhooks, and the scheduler's exactly-once firing.
@Suite("Service behaviour (real RabbitMQ and PostgreSQL)")
struct ServiceBehaviourTests {
    let env = TestEnvironment.self

    /// A webhook receiver on loopback that fails the first `failures` requests.
    @Test("a webhook that fails twice is retried with backoff and delivered once; no incident")
    func webhookRetry() async throws {
        let receiver = WebhookCounter(failures: 2)
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            return receiver.handle(Array(buffer: body))
        }
        let port = LockedValue<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { port.set($0.localAddress?.port) })
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        _ = try await env.eventually { port.get() != nil }

        let pipeline = try TestPipeline()
        try await pipeline.start()
        let jobId = "job-hook-\(UUID().uuidString.lowercased())"
        let started = ContinuousClock.now
        try await pipeline.submit(JobSubmit(jobId: jobId, idempotencyKey: jobId, name: "hook.csv",
                                            source: .inline("a,b\n1,2\n"),
                                            notify: NotifySpec(webhooks: ["http://127.0.0.1:\(port.get()!)/hook"])))
        #expect(try await pipeline.waitForEnd(jobId).state == "published")
        let delivered = try await env.eventually(timeout: .seconds(20)) { receiver.lock.withLock { !receiver.bodies.isEmpty } }
        #expect(delivered)
        let elapsed = ContinuousClock.now - started
        // Policy in tests: 200 ms then 400 ms (minus up to 20% jitter) before attempts 2 and 3.
        #expect(elapsed >= .milliseconds(450), "retries waited \(elapsed)")
        try await Task.sleep(for: .seconds(1))
        #expect(receiver.lock.withLock { receiver.attempts } == 3)
        #expect(receiver.lock.withLock { receiver.bodies.count } == 1)
        struct Notice: Decodable { var event: String; var jobId: String; var rows: [String: Int]? }
        let notice = try JSONCoding.decode(Notice.self, from: receiver.lock.withLock { receiver.bodies[0] })
        #expect(notice.event == "job.published" && notice.jobId == jobId && notice.rows?["valid"] == 1)
        struct Letter: Decodable { var jobId: String? }
        let letters = try await pipeline.getJSON([Letter].self, "incident", "/dead-letters?job=\(jobId)")
        #expect(letters.isEmpty)
        await pipeline.stopAll()
    }

    @Test("two scheduler replicas fire a due schedule exactly once")
    func schedulerFiresOnce() async throws {
        let prefix = TestEnvironment.uniquePrefix("s")
        let overrides = ["scheduler.tick.ms": "3600000"]
        try await env.createSchemas(prefix: prefix, services: ["scheduler"])
        let replicas = try (0..<2).map { _ in
            try SchedulerService.descriptor.build(config: try env.runtimeConfig("scheduler", prefix: prefix, overrides: overrides),
                                       logger: env.logger)
        }
        let tasks = replicas.map { host in Task { try await host.run() } }
        for replica in replicas { try await replica.waitUntilReady() }
        let name = "nightly-\(UUID().uuidString.lowercased())"
        let due = Date().addingTimeInterval(-5)
        // Yearly: the next fire after the due one is months away, so a test that runs across a
        // minute boundary cannot meet a second, legitimate fire (with "*/5" it did, at :00 and :05).
        let schedule = Schedule(id: MessageID.hash("schedule", name), name: name, cron: "0 0 1 1 *",
                                job: JobSubmit(source: .inline("a\n1\n")), enabled: true, nextFireAt: due)
        try await ScheduleRepository(runtime: replicas[0].runtime).upsert(schedule)
        // Watch the submissions the scheduler publishes (ingest's queue of this topology).
        let topology = replicas[0].config.topology
        let watcher = AMQPConsumer(config: env.amqp, topology: topology.all(), logger: env.logger)
        try await watcher.consume(queues: [topology.queue("ingest")])
        let submissions = DeliveryCollector(watcher)
        // Both replicas' background ticks and eight explicit ticks race for the same fire time.
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for replica in replicas {
                for _ in 0..<4 {
                    group.addTask {
                        try await SchedulerLoop(runtime: replica.runtime, tick: .seconds(1), misfireGrace: .seconds(3600))
                            .fireDue(now: Date())
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(counts <= 1)
        _ = try await submissions.wait(for: 1)
        try await Task.sleep(for: .milliseconds(500))
        let published = submissions.deliveries.filter { $0.properties.messageId?.hasPrefix("schedule/\(schedule.id)/") == true }
        // Delivery is at least once (the outbox relay may resend what the committing task is
        // still confirming); what must be unique is the submission, i.e. its message id.
        #expect(Set(published.compactMap(\.properties.messageId)).count == 1, "exactly one job.submit per fire time")
        await watcher.close()
        let fires = try await ScheduleRepository(runtime: replicas[1].runtime).fires(scheduleId: schedule.id, limit: 10)
        #expect(fires.count == 1)
        let stored = try await ScheduleRepository(runtime: replicas[1].runtime).all().first { $0.id == schedule.id }
        #expect((stored?.nextFireAt ?? .distantPast) > Date())
        for replica in replicas { await replica.shutdown() }
        for task in tasks { _ = try? await task.value }
    }
}
