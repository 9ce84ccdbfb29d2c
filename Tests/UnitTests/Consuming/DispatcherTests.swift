@testable import Consuming
import Contracts
import Foundation
import Messaging
@testable import Runtime
@testable import TestSupport
import Testing
import Toolkit

/// The dispatcher's rules on the in-memory transport: no servers, fast.
@Suite("Dispatcher rules (in-memory transport)")
struct DispatcherTests {
    /// Handlers for `job.submit` that run `body` with the message id.
    static func handlers(_ body: @escaping @Sendable (String) async throws -> Void) -> MessageHandlers {
        var handlers = MessageHandlers()
        handlers.onDirect(JobSubmit.self) { envelope, _, _ in try await body(envelope.id) }
        return handlers
    }

    @Test("a transient failure waits in the delay queue for its attempt, then is handled again")
    func transientRetry() async throws {
        let failures = LockedValue(0)
        let log = DeliveryLog()
        let harness = await DispatchHarness(handlers: Self.handlers { _ in
            if failures.update({ $0 += 1; return $0 }) <= 2 { throw SluiceError.transient("test.flaky", "not yet") }
        }, hooks: log.hooks)
        harness.start()
        try await harness.publish(["m-1"])
        let done = try await TestEnvironment.eventually(timeout: .seconds(30)) { log.all.count == 3 && failures.get() == 3 }
        #expect(done, "handled three times: \(log.all.count)")
        let attempts = log.all.map { $0.properties.headers[FaultHeader.attempts]?.intValue }
        #expect(attempts == [nil, 2, 3])
        #expect(log.all.dropFirst().allSatisfy { $0.queue == harness.workQueue && $0.redelivered == false })
        // The second try came back through the 100 ms delay queue, the third through 200 ms.
        let delays = log.all.dropFirst().map { delivery -> String? in
            guard case .array(let deaths)? = delivery.properties.headers["x-death"],
                  case .table(let death)? = deaths.first else { return nil }
            return death["queue"]?.stringValue
        }
        #expect(delays == ["u.ingest.retry.100ms", "u.ingest.retry.200ms"])
        #expect(log.all[1].properties.headers[FaultHeader.errorType] == .string("test.flaky"))
        #expect(try await harness.deadLetters(1, timeout: .milliseconds(300)).isEmpty)
        await harness.stop()
    }

    @Test("a permanent failure is dead-lettered at once, body intact, with every fault header")
    func permanentFailure() async throws {
        let harness = await DispatchHarness(handlers: Self.handlers { _ in
            throw SluiceError.permanent("test.bad", "the record is wrong")
        })
        harness.start()
        let sent = try harness.submission("m-2")
        try await harness.publisher.publish([sent])
        let dead = try #require(try await harness.deadLetters(1).first)
        #expect(dead.body == sent.body)
        let h = dead.properties.headers
        #expect(h[FaultHeader.service] == .string("ingest"))
        #expect(h[FaultHeader.handler] == .string("job.submit"))
        #expect(h[FaultHeader.errorType] == .string("test.bad"))
        #expect(h[FaultHeader.errorText] == .string("the record is wrong"))
        #expect(h[FaultHeader.disposition] == .string("permanent"))
        #expect(h[FaultHeader.attempts] == .int(1))
        #expect(h[FaultHeader.originalExchange] == .string("u.events"))
        #expect(h[FaultHeader.originalRoutingKey] == .string("job.submit"))
        #expect(h[FaultHeader.queue] == .string("u.ingest"))
        #expect(h[FaultHeader.failureId]?.stringValue?.hasPrefix("f-") == true)
        #expect(h[FaultHeader.firstFailure] != nil && h[FaultHeader.lastFailure] != nil)
        #expect(h[FaultHeader.errorContext]?.stringValue?.contains("queue u.ingest") == true)
        #expect(dead.properties.persistent && dead.properties.expiration == nil)
        await harness.stop()
    }

    @Test("retries stop at the policy's attempts: then the message is dead-lettered with its count")
    func retriesExhausted() async throws {
        let harness = await DispatchHarness(handlers: Self.handlers { _ in
            throw SluiceError.transient("test.down", "still down")
        })
        harness.start()
        try await harness.publish(["m-3"])
        let dead = try #require(try await harness.deadLetters(1).first)
        #expect(dead.properties.headers[FaultHeader.attempts] == .int(3))
        #expect(dead.properties.headers[FaultHeader.disposition] == .string("transient"))
        #expect(harness.metrics.value("sluice_messages_retried_total", ["service": "ingest", "type": "job.submit"]) == 2)
        await harness.stop()
    }

    @Test("the head comes from the AMQP properties when they mirror the envelope; a body that disagrees is dead-lettered")
    func headFromProperties() async throws {
        let handled = LockedValue<[String]>([])
        let harness = await DispatchHarness(handlers: Self.handlers { id in handled.update { $0.append(id) } })
        let sent = try harness.submission("m-props")
        let head = try #require(EnvelopeCheck.head(of: sent.properties))
        #expect(head.id == "m-props" && head.type == "job.submit" && head.version == 1)
        // Another client's message, without the mirrored fields, is routed by its body.
        #expect(EnvelopeCheck.head(of: MessageProperties(messageId: "m", type: "job.submit")) == nil)
        var forged = try harness.submission("m-body")
        forged.properties.messageId = "m-other"
        harness.start()
        try await harness.publisher.publish([sent, forged])
        let dead = try #require(try await harness.deadLetters(1).first)
        #expect(dead.properties.headers[FaultHeader.errorType] == .string("message.properties-mismatch"))
        #expect(dead.properties.headers[FaultHeader.errorText]?.stringValue?.contains("id m-other ≠ m-body") == true)
        #expect(try await TestEnvironment.eventually(timeout: .seconds(10)) { handled.get() == ["m-props"] })
        await harness.stop()
    }

    @Test("an unreadable body never reaches a handler: it is dead-lettered as message.undecodable")
    func undecodable() async throws {
        let calls = LockedValue(0)
        let harness = await DispatchHarness(handlers: Self.handlers { _ in calls.update { $0 += 1 } })
        harness.start()
        var garbage = try harness.submission("m-4")
        garbage.body = Array("{not json".utf8)
        try await harness.publisher.publish([garbage])
        let dead = try #require(try await harness.deadLetters(1).first)
        #expect(dead.properties.headers[FaultHeader.errorType] == .string("message.undecodable"))
        #expect(calls.get() == 0)
        await harness.stop()
    }

    @Test("a redelivered message is handled alone, after the batch's fresh messages are settled")
    func suspectsAfterFresh() async throws {
        let log = DeliveryLog()
        let broker = LockedValue<InMemoryBroker?>(nil)
        let unsettledAtSuspect = LockedValue<Int?>(nil)
        let harness = await DispatchHarness(handlers: Self.handlers { _ in
            try await Task.sleep(for: .milliseconds(50))
        }, hooks: DispatchHooks { delivery, logger in
            if delivery.redelivered { unsettledAtSuspect.set(broker.get()?.unsettled(in: "u.ingest")) }
            log.hooks.beforeHandle?(delivery, logger)
        })
        broker.set(harness.broker)
        // m-0 is taken by a consumer that dies: it comes back redelivered, ahead of m-1..m-3.
        let doomed = harness.broker.makeConsumer(name: "doomed", topology: Topology(), prefetch: 1,
                                                 logger: DispatchHarness.logger)
        try await doomed.consume(queues: [harness.workQueue])
        try await harness.publish(["m-0"])
        _ = try await TestEnvironment.eventually { harness.broker.unsettled(in: harness.workQueue) == 1 }
        try await harness.publish(["m-1", "m-2", "m-3"])
        await doomed.close()
        harness.start()
        let done = try await TestEnvironment.eventually(timeout: .seconds(30)) { log.all.count == 4 }
        #expect(done)
        #expect(log.ids().last == "m-0", "the suspect goes last: \(log.ids())")
        #expect(unsettledAtSuspect.get() == 1, "the fresh ones were settled first; only the suspect is held")
        let forgotten = try await TestEnvironment.eventually(timeout: .seconds(5)) {
            harness.ledger.count("m-0", queue: harness.workQueue) == 0 && harness.broker.unsettled(in: harness.workQueue) == 0
        }
        #expect(forgotten, "the suspect is settled and its count forgotten")
        await harness.stop()
    }

    @Test("a suspect delivered past the limit is dead-lettered as poison and not handled again")
    func poison() async throws {
        let calls = LockedValue(0)
        let harness = await DispatchHarness(handlers: Self.handlers { _ in calls.update { $0 += 1 } })
        let doomed = harness.broker.makeConsumer(name: "doomed", topology: Topology(), prefetch: 1,
                                                 logger: DispatchHarness.logger)
        try await doomed.consume(queues: [harness.workQueue])
        try await harness.publish(["m-5"])
        _ = try await TestEnvironment.eventually { harness.broker.unsettled(in: harness.workQueue) == 1 }
        await doomed.close()
        // Four earlier deliveries killed their consumers; this is the fifth (the limit).
        harness.ledger.preset("m-5", queue: harness.workQueue, to: 4)
        harness.start()
        let dead = try #require(try await harness.deadLetters(1).first)
        #expect(dead.properties.headers[FaultHeader.errorType] == .string("message.poison"))
        #expect(dead.properties.headers[FaultHeader.attempts] == .int(6))
        #expect(calls.get() == 0)
        await harness.stop()
    }

    @Test("a handler past its bound is cut off and retried as a timeout, even if it ignores cancellation")
    func handlerBound() async throws {
        let calls = LockedValue(0)
        let log = DeliveryLog()
        let harness = await DispatchHarness(handlers: Self.handlers { _ in
            if calls.update({ $0 += 1; return $0 }) == 1 {
                // Never resumes and ignores cancellation, like a write lost on a closed socket.
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
            }
        }, timeouts: RuntimeTimeouts(handler: .milliseconds(200)), hooks: log.hooks)
        harness.start()
        try await harness.publish(["m-6"])
        let done = try await TestEnvironment.eventually(timeout: .seconds(30)) { log.all.count == 2 && calls.get() == 2 }
        #expect(done)
        #expect(log.all.last?.properties.headers[FaultHeader.errorType] == .string("timeout"))
        await harness.stop()
    }

    @Test("cancelled mid-handler (shutdown deadline), the dispatcher leaves the delivery for redelivery")
    func abandonOnCancel() async throws {
        let started = LockedValue(false)
        let harness = await DispatchHarness(handlers: Self.handlers { _ in
            started.set(true)
            try await Task.sleep(for: .seconds(30))
        })
        harness.start()
        try await harness.publish(["m-7"])
        _ = try await TestEnvironment.eventually { started.get() }
        await harness.stop()
        let again = try await harness.collect(from: harness.workQueue, 1)
        #expect(again.first?.properties.messageId == "m-7" && again.first?.redelivered == true)
        #expect(try await harness.deadLetters(1, timeout: .milliseconds(300)).isEmpty, "neither retried nor dead-lettered")
        #expect(harness.broker.depth(of: "u.ingest.retry.100ms") == 0)
    }
}
