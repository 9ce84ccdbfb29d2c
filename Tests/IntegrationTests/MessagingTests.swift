import Foundation
import Messaging
@testable import TestSupport
import Testing

/// The rabbitmq-c wrapper against a real RabbitMQ.
@Suite("Messaging (real RabbitMQ)")
struct MessagingTests {
    let env = TestEnvironment.self

    @Test("batches are confirmed and every message arrives with its properties")
    func confirmsAndDelivery() async throws {
        let t = TestTopology()
        let publisher = AMQPPublisher(config: env.amqp, topology: t.topology, logger: env.logger)
        let consumer = AMQPConsumer(config: env.amqp, topology: t.topology, prefetch: 100, logger: env.logger)
        try await consumer.consume(queues: [t.queue])
        let collector = DeliveryCollector(consumer)
        for start in stride(from: 0, to: 1000, by: 250) {
            try await publisher.publish((start..<start + 250).map { t.message($0, size: 1024) })
        }
        let got = try await collector.wait(for: 1000)
        #expect(got.count == 1000)
        #expect(Set(got.compactMap(\.properties.messageId)).count == 1000)
        let first = try #require(got.first { $0.properties.messageId == "m-7" })
        #expect(first.properties.headers["x-index"] == .int(7))
        #expect(first.properties.type == "work.item")
        #expect(first.properties.persistent)
        #expect(first.body.count == 1024)
        #expect(first.queue == t.queue)
        await consumer.close()
        await publisher.close()
    }

    @Test("an unroutable mandatory message is an error the caller sees")
    func unroutable() async throws {
        let t = TestTopology()
        let publisher = AMQPPublisher(config: env.amqp, topology: t.topology, logger: env.logger)
        var lost = t.message(1)
        lost.routingKey = "nobody.listens"
        await #expect {
            try await publisher.publish([t.message(0), lost, t.message(2)])
        } throws: { error in
            guard case TransportError.publishFailed(let failures) = error, failures.count == 1,
                  case .unroutable(let code, _, _, let key) = failures[0].reason else { return false }
            return failures[0].index == 1 && failures[0].messageId == "m-1" && code == 312 && key == "nobody.listens"
        }
        // The publisher is still usable afterwards.
        try await publisher.publish([t.message(3)])
        await publisher.close()
    }

    @Test("a nacked delivery goes to the dead-letter queue")
    func nackToDeadLetterQueue() async throws {
        let t = TestTopology()
        let publisher = AMQPPublisher(config: env.amqp, topology: t.topology, logger: env.logger)
        let consumer = AMQPConsumer(config: env.amqp, topology: t.topology, logger: env.logger)
        try await consumer.consume(queues: [t.queue])
        try await publisher.publish([t.message(42)])
        var iterator = consumer.deliveries.makeAsyncIterator()
        let batch = try #require(await iterator.next())
        consumer.nack(batch, requeue: false)
        let dlqConsumer = AMQPConsumer(config: env.amqp, topology: t.topology, logger: env.logger)
        try await dlqConsumer.consume(queues: [t.deadLetterQueue])
        let dead = try await DeliveryCollector(dlqConsumer).wait(for: 1)
        #expect(dead.first?.properties.messageId == "m-42")
        guard case .array(let deaths)? = dead.first?.properties.headers["x-death"],
              case .table(let death)? = deaths.first else {
            Issue.record("x-death header missing")
            return
        }
        #expect(death["reason"]?.stringValue == "rejected")
        await dlqConsumer.close()
        await consumer.close()
        await publisher.close()
    }

    @Test("a consumer that dies mid-message gets it redelivered to another")
    func redeliveryToAnotherConsumer() async throws {
        let t = TestTopology()
        let publisher = AMQPPublisher(config: env.amqp, topology: t.topology, logger: env.logger)
        let first = AMQPConsumer(config: env.amqp, topology: t.topology, prefetch: 1, logger: env.logger)
        try await first.consume(queues: [t.queue])
        try await publisher.publish([t.message(1)])
        var iterator = first.deliveries.makeAsyncIterator()
        let taken = try #require(await iterator.next())
        #expect(taken.first?.redelivered == false)
        // Dies without acking: the broker requeues the message.
        await first.close()
        let second = AMQPConsumer(config: env.amqp, topology: t.topology, logger: env.logger)
        try await second.consume(queues: [t.queue])
        let got = try await DeliveryCollector(second).wait(for: 1)
        #expect(got.first?.properties.messageId == "m-1")
        #expect(got.first?.redelivered == true)
        // Acking with the dead consumer's tag is a harmless no-op.
        first.ack(taken)
        await second.close()
        await publisher.close()
    }

    @Test("idle connections stay open: heartbeats are serviced")
    func heartbeats() async throws {
        let t = TestTopology()
        var config = env.amqp
        config.heartbeatSeconds = 1  // the broker drops a peer after two missed heartbeats
        let publisher = AMQPPublisher(config: config, topology: t.topology, logger: env.logger)
        let consumer = AMQPConsumer(config: config, topology: t.topology, logger: env.logger)
        try await consumer.consume(queues: [t.queue])
        let collector = DeliveryCollector(consumer)
        try await publisher.publish([t.message(0)])
        try await Task.sleep(for: .seconds(5))
        try await publisher.publish([t.message(1)])
        _ = try await collector.wait(for: 2)
        #expect(publisher.connectCount == 1 && consumer.connectCount == 1, "an idle connection was dropped and reopened")
        await consumer.close()
        await publisher.close()
    }

    @Test("refused logins are retried without corrupting memory (each failed session is freed once)")
    func refusedLogins() async throws {
        let t = TestTopology()
        var config = env.amqp
        config.password = "wrong-\(UUID().uuidString)"
        config.initialReconnectDelay = .milliseconds(10)
        config.maxReconnectDelay = .milliseconds(20)
        // Dozens of refused logins in two seconds: a double free on that path aborts the process.
        let publisher = AMQPPublisher(config: config, topology: t.topology, logger: env.logger)
        try await Task.sleep(for: .seconds(2))
        #expect(!publisher.isConnected)
        await #expect(throws: TransportError.self) { try await publisher.publish([t.message(0)], timeout: .milliseconds(300)) }
        await publisher.close()
    }

    @Test("a closed publisher fails fast instead of hanging")
    func closedPublisher() async throws {
        let t = TestTopology()
        let publisher = AMQPPublisher(config: env.amqp, topology: t.topology, logger: env.logger)
        try await publisher.publish([t.message(0)])
        await publisher.close()
        let started = ContinuousClock.now
        await #expect(throws: TransportError.self) { try await publisher.publish([t.message(1)]) }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("confirms are tracked per delivery tag across many concurrent batches")
    func concurrentBatches() async throws {
        let t = TestTopology()
        let publisher = AMQPPublisher(config: env.amqp, topology: t.topology, logger: env.logger)
        let consumer = AMQPConsumer(config: env.amqp, topology: t.topology, prefetch: 500, logger: env.logger)
        try await consumer.consume(queues: [t.queue])
        let collector = DeliveryCollector(consumer)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for b in 0..<20 {
                group.addTask { try await publisher.publish((0..<50).map { t.message(b * 50 + $0) }) }
            }
            try await group.waitForAll()
        }
        let got = try await collector.wait(for: 1000)
        #expect(Set(got.compactMap(\.properties.messageId)).count == 1000)
        await consumer.close()
        await publisher.close()
    }
}
