import Contracts
import Foundation
import Logging
import Messaging
import PostgresNIO
import ServiceLifecycle
import Storage

/// Consumes a service's queues and runs its handlers. Each delivery is acked only after its
/// effects are committed (with the inbox record) and the messages it caused are written to
/// the outbox and confirmed by the broker; failures are retried or dead-lettered with fault
/// headers, never dropped. On graceful shutdown it stops consuming, finishes and acks what
/// is in flight, then closes.
///
/// Redelivered messages are suspects: one of them may have killed the previous consumer.
/// They are handled one at a time, after the batch's fresh messages are settled, and each
/// is counted first (``DeliveryCounter``); past ``SluiceTopology/deliveryLimit`` it is
/// dead-lettered as poison instead of being handled again. Handling suspects alone keeps
/// innocent messages that happened to be in flight from being counted with the poison.
public final class Dispatcher: Service, Sendable {
    let runtime: RuntimeContext
    let consumer: AMQPConsumer
    let handlers: MessageHandlers
    let policies: RetryPolicies
    let concurrency: Int
    let gate: StartupGate
    let faults: FaultInjection

    enum Outcome { case ack, requeue }

    init(runtime: RuntimeContext, consumer: AMQPConsumer, handlers: MessageHandlers, policies: RetryPolicies,
         concurrency: Int, gate: StartupGate, faults: FaultInjection) {
        self.runtime = runtime
        self.consumer = consumer
        self.handlers = handlers
        self.policies = policies
        self.concurrency = max(1, concurrency)
        self.gate = gate
        self.faults = faults
    }

    public func run() async throws {
        try await gate.wait()
        let queues = runtime.topology.consumedQueues(runtime.service)
        var delay = Duration.milliseconds(200)
        while true {
            do {
                try await consumer.consume(queues: queues)
                break
            } catch AMQPError.connectionLost(let reason) {
                // A broker blip at start-up: the worker reconnects; ask again.
                runtime.logger.warning("consume failed; retrying", metadata: ["error": "\(reason)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        runtime.logger.info("consuming", metadata: ["queues": "\(queues)"])
        let consumer = self.consumer
        await withGracefulShutdownHandler {
            for await batch in consumer.deliveries { await self.process(batch) }
        } onGracefulShutdown: {
            Task { await consumer.stopConsuming() }
        }
        await consumer.close()
        runtime.logger.info("consumer stopped")
    }

    /// Handles a batch: fresh deliveries with bounded concurrency (settled in one hop each
    /// way), then suspects one by one, each settled before the next starts.
    func process(_ batch: [Delivery]) async {
        let suspects = batch.filter(isSuspect)
        let fresh = suspects.isEmpty ? batch : batch.filter { !isSuspect($0) }
        var acks: [Delivery] = []
        var requeues: [Delivery] = []
        await withTaskGroup(of: (Delivery, Outcome).self) { group in
            var iterator = fresh.makeIterator()
            for _ in 0..<concurrency {
                guard let delivery = iterator.next() else { break }
                group.addTask { (delivery, await self.handle(delivery)) }
            }
            for await (delivery, outcome) in group {
                switch outcome {
                case .ack: acks.append(delivery)
                case .requeue: requeues.append(delivery)
                }
                if let next = iterator.next() { group.addTask { (next, await self.handle(next)) } }
            }
        }
        if suspects.isEmpty {
            consumer.ack(acks)
            consumer.nack(requeues, requeue: true)
            return
        }
        await consumer.settle(acks: acks, requeues: requeues)
        for suspect in suspects {
            let outcome = await handleSuspect(suspect)
            await consumer.settle(acks: outcome == .ack ? [suspect] : [], requeues: outcome == .requeue ? [suspect] : [])
        }
    }

    /// Redelivered, and not a dead letter (the incident service never dead-letters those).
    private func isSuspect(_ delivery: Delivery) -> Bool {
        delivery.redelivered && runtime.topology.serviceOfDeadLetterQueue(delivery.queue) == nil
    }

    func handle(_ delivery: Delivery) async -> Outcome {
        let started = ContinuousClock.now
        let logger = logger(for: delivery)
        let type = Self.messageType(delivery)
        faults.crashIfMatching(delivery.body, logger: logger)
        do {
            try await dispatch(delivery, logger: logger)
            let elapsed = ContinuousClock.now - started
            runtime.metrics.increment("sluice_messages_consumed_total", ["service": runtime.service, "type": type, "outcome": "ok"])
            runtime.metrics.observe("sluice_handler_duration_seconds", ["service": runtime.service, "type": type],
                                    Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
            return .ack
        } catch {
            return await fail(delivery, fault: Self.classify(error), logger: logger)
        }
    }

    /// The delivery's message type: the `type` property, else the routing key it was first
    /// published with (a retry arrives with the queue name as its routing key).
    static func messageType(_ delivery: Delivery) -> String {
        delivery.properties.type ?? delivery.properties.headers[FaultHeader.originalRoutingKey]?.stringValue
            ?? delivery.routingKey
    }

    func logger(for delivery: Delivery) -> Logger {
        var logger = runtime.logger
        logger[metadataKey: "message_id"] = "\(delivery.properties.messageId ?? "-")"
        logger[metadataKey: "correlation_id"] = "\(delivery.properties.correlationId ?? "-")"
        if let job = delivery.properties.headers["x-sluice-job-id"]?.stringValue { logger[metadataKey: "job_id"] = "\(job)" }
        return logger
    }

    private func dispatch(_ delivery: Delivery, logger: Logger) async throws {
        if runtime.topology.serviceOfDeadLetterQueue(delivery.queue) != nil, let deadLetter = handlers.deadLetter {
            return try await deadLetter(delivery, runtime.with(logger: logger))
        }
        let head = try EnvelopeCheck.head(of: delivery.body)
        guard let type = MessageType(rawValue: head.type) else {
            throw SluiceError.permanent("message.unknown-type", "unknown message type '\(head.type)'")
        }
        guard type.supportedVersions.contains(head.version) else {
            throw SluiceError.permanent("message.unsupported-version",
                "\(type.rawValue) version \(head.version) is not supported (supported: \(type.supportedVersions))")
        }
        guard let handler = handlers.handlers[type] else {
            // An observer binds every key and simply has nothing to do for this type.
            if handlers.observesOnly { return }
            throw SluiceError.permanent("message.unhandled-type", "\(runtime.service) has no handler for \(type.rawValue)")
        }
        let trace = delivery.properties.headers["traceparent"]?.stringValue
        let redrive = RedriveReceipt(delivery, service: runtime.service)
        switch handler {
        case .direct(let body):
            try await body(delivery.body, head, runtime.with(logger: logger), trace)
            if let redrive { try await runtime.publish([redrive.envelope(causedBy: head)], traceparent: trace) }
        case .transactional(let body):
            try await runtime.transaction(traceparent: trace) { connection, emitter in
                // A re-driven copy reports success even when the inbox knows it: either way
                // the effect is applied exactly once.
                if let redrive { try emitter.emit(redrive.envelope(causedBy: head)) }
                guard try await Inbox.claim(head.id, type: type.rawValue, on: connection, logger: logger) else {
                    logger.debug("duplicate delivery ignored")
                    return
                }
                try await body(delivery.body, HandlerContext(connection: connection, runtime: self.runtime,
                                                             logger: logger, emitter: emitter))
            }
        }
    }
}
