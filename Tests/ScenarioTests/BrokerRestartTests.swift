import APIModels
import Contracts
import Foundation
import IncidentService
import Messaging
@testable import TestSupport
import Testing

/// Restarts the broker, so it runs on its own: `swift test --filter BrokerRestart` after the
/// rest of the suite (see infra/test.sh), never in parallel with other broker tests.
@Suite("BrokerRestart (real RabbitMQ, restarts it)", .serialized)
struct BrokerRestartTests {
    let env = TestEnvironment.self

    @Test("publisher and consumer reconnect after a broker restart and no message is lost")
    func reconnectAfterRestart() async throws {
        let t = TestTopology()
        let publisher = AMQPPublisher(config: env.amqp, topology: t.topology, logger: env.logger)
        let consumer = AMQPConsumer(config: env.amqp, topology: t.topology, prefetch: 20, logger: env.logger)
        try await consumer.consume(queues: [t.queue])
        let collector = DeliveryCollector(consumer)
        try await publisher.publish((0..<200).map { t.message($0) })
        _ = try await collector.wait(for: 50)

        let restart = Process()
        restart.executableURL = env.packageRoot.appendingPathComponent("infra/local/restart-broker.sh")
        try restart.run()
        // Wait until the broker has really dropped us, then publish into the outage: the
        // publisher must hold the batch and retry until the broker is back and confirms it.
        let dropped = try await env.eventually(timeout: .seconds(60), every: .milliseconds(10)) { !publisher.isConnected }
        #expect(dropped, "the broker restart never dropped the connection")
        try await publisher.publish((200..<400).map { t.message($0) }, timeout: .seconds(120))
        while restart.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(restart.terminationStatus == 0)

        _ = try await collector.wait(for: 400, timeout: .seconds(60))
        let ids = Set(collector.deliveries.compactMap(\.properties.messageId))
        let expected = Set((0..<400).map { "m-\($0)" })
        #expect(ids == expected, "missing: \(expected.subtracting(ids).sorted().prefix(10))")
        let reconnected = try await env.eventually(timeout: .seconds(30)) { publisher.isConnected && consumer.isConnected }
        #expect(reconnected)
        await consumer.close()
        await publisher.close()
    }

    @Test("a retry waiting in its delay queue survives a broker restart, on classic and quorum queues",
          arguments: ["classic", "quorum"])
    func delayedRetrySurvivesRestart(queueType: String) async throws {
        let server = WebhookReceiver(failures: 1, content: "code\nA1\nB2\n")
        let url = try await server.start(path: "later.csv")
        defer { server.stop() }
        let pipeline = try TestPipeline(overrides: [
            "topology.queue.type": queueType, "ingest.fetch.allow": "127.0.0.1/32",
            "retry.type.job.submit.initial.ms": "8000", "retry.type.job.submit.attempts": "3",
            "retry.type.job.submit.jitter": "0",
        ])
        try await pipeline.start()
        let jobId = "job-durable-\(UUID().uuidString.lowercased())"
        try await pipeline.submit(JobSubmit(jobId: jobId, idempotencyKey: jobId, name: "later.csv",
                                            source: .init(kind: .url, url: url)))
        let failedOnce = try await env.eventually(timeout: .seconds(30)) { server.attemptTimes.count == 1 }
        #expect(failedOnce)
        // The retry now waits 8 s in a durable delay queue; restart the broker under it.
        let restart = Process()
        restart.executableURL = env.packageRoot.appendingPathComponent("infra/local/restart-broker.sh")
        try restart.run()
        while restart.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(restart.terminationStatus == 0)
        let end = try await pipeline.waitForEnd(jobId, timeout: .seconds(120))
        #expect(end.state == "published" && end.rowsValid == 2, "the delayed retry was lost in the restart")
        let times = server.attemptTimes
        #expect(times.count == 2)
        // The delay was honoured (the broker keeps the expiry across its restart; allow for the
        // broker's millisecond rounding and the two clocks involved).
        if times.count == 2 { #expect(times[1] - times[0] >= .milliseconds(7_500), "the delay was honoured") }
        #expect(try await pipeline.getJSON([StoredFailure].self, "incident", "/dead-letters").isEmpty)
        await pipeline.stopAll()
    }
}
