@testable import Consuming
import Contracts
import Foundation
import Messaging
@testable import Runtime
@testable import TestSupport
import Testing
import Toolkit

/// Priority lanes through a whole dispatcher on the in-memory transport.
@Suite("Dispatcher priority lanes (in-memory transport)")
struct DispatcherLaneTests {
    @Test("an urgent message published behind 30 low ones starts at the next free slot; low stays FIFO")
    func urgentJumpsTheLine() async throws {
        let log = DeliveryLog()
        let harness = await DispatchHarness(handlers: DispatcherTests.handlers { _ in
            try await Task.sleep(for: .milliseconds(20))
        }, concurrency: 1, hooks: log.hooks)
        let lows = (0..<30).map { "low-\($0)" }
        try await harness.publisher.publish(try lows.map { try harness.submission($0, priority: .low) })
        try await harness.publisher.publish([try harness.submission("urgent", priority: .urgent)])
        #expect(harness.topology.consumedQueues("ingest").contains("u.ingest.urgent"))
        harness.start()
        let done = try await TestEnvironment.eventually(timeout: .seconds(30)) { log.all.count == 31 }
        #expect(done)
        let order = log.ids()
        let position = try #require(order.firstIndex(of: "urgent"))
        #expect(position <= 1, "the urgent message ran at position \(position): \(order)")
        #expect(order.filter { $0 != "urgent" } == lows, "low work in the order it was published")
        #expect(log.all.first { $0.properties.messageId == "urgent" }?.queue == "u.ingest.urgent")
        await harness.stop()
    }

    @Test("with urgent and low work both waiting, low work gets its configured share (1 in 9)")
    func lowWorkIsNotStarved() async throws {
        let log = DeliveryLog()
        let harness = await DispatchHarness(handlers: DispatcherTests.handlers { _ in
            try await Task.sleep(for: .milliseconds(5))
        }, concurrency: 1, hooks: log.hooks)
        try await harness.publisher.publish(try (0..<36).map { try harness.submission("u-\($0)", priority: .urgent) })
        try await harness.publisher.publish(try (0..<10).map { try harness.submission("l-\($0)", priority: .low) })
        harness.start()
        #expect(try await TestEnvironment.eventually(timeout: .seconds(30)) { log.all.count == 46 })
        let first27 = log.ids().prefix(27)
        let lows = first27.filter { $0.hasPrefix("l-") }.count
        #expect((2...4).contains(lows), "low work in the first 27: \(lows) (\(first27))")
        await harness.stop()
    }

    @Test("a retried message keeps its lane: the priority header wins over the queue it came back through")
    func retryKeepsItsLane() async throws {
        let topology = SluiceTopology(prefix: "u", subscriptions: [.init(service: "ingest", keys: ["job.submit"])])
        let message = try OutgoingMessage.event(Envelope(id: "m", jobId: "j", correlationId: "j", causationId: nil,
                                                         priority: .urgent, payload: JobSubmit(source: .inline("a"))),
                                                topology: topology)
        #expect(message.routingKey == "job.submit.urgent")
        let retried = Delivery(deliveryTag: 1, generation: 1, queue: "u.ingest", exchange: "", routingKey: "u.ingest",
                               redelivered: false, properties: message.properties, body: message.body)
        #expect(Dispatcher.lane(of: retried, topology: topology, service: "ingest") == .urgent)
        var plain = message.properties
        plain.headers[Priority.header] = nil
        let fromLane = Delivery(deliveryTag: 2, generation: 1, queue: "u.ingest.low", exchange: "u.events",
                                routingKey: "job.submit.low", redelivered: false, properties: plain, body: message.body)
        #expect(Dispatcher.lane(of: fromLane, topology: topology, service: "ingest") == .low)
    }
}
