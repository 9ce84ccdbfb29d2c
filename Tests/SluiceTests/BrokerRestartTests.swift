import Foundation
import Messaging
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
}
