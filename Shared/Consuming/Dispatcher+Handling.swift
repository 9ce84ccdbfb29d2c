import Contracts
import Foundation
import Logging
import Messaging
import Runtime
import Storage
import Toolkit

extension Dispatcher {
    /// Handles one delivery within the handler bound and returns what to do with it. A
    /// failure becomes a retry or a dead letter (``fail(_:fault:attempts:logger:)``); a
    /// cancellation (the shutdown deadline passed) leaves the delivery unsettled.
    func handle(_ delivery: Delivery) async -> Outcome {
        let started = ContinuousClock.now
        let logger = logger(for: delivery)
        let type = Self.messageType(delivery)
        hooks.beforeHandle?(delivery, logger)
        do {
            let verdict = try await obeyControls(delivery, type: type)
            guard verdict == .run else {
                // Held for a resume, or dropped quietly for a cancelled job: acked either way,
                // never dead-lettered, never an incident.
                runtime.metrics.increment("sluice_messages_controlled_total",
                                          ["service": runtime.service, "type": type, "outcome": verdict == .hold ? "held" : "dropped"])
                logger.info(verdict == .hold ? "job paused: message held until it is resumed" : "job cancelled: message dropped")
                return .ack
            }
            try await withDeadline(timeouts.handler, "handling \(type)") { [self] in
                try await letGoIfCancelled(delivery, type: type) { [self] in try await dispatch(delivery, logger: logger) }
            }
            let elapsed = ContinuousClock.now - started
            runtime.metrics.increment("sluice_messages_consumed_total", ["service": runtime.service, "type": type, "outcome": "ok"])
            runtime.metrics.observe("sluice_handler_duration_seconds", ["service": runtime.service, "type": type],
                                    Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
            return .ack
        } catch let interrupt as WorkInterrupt {
            return await settle(delivery, interrupt, type: type, logger: logger)
        } catch {
            if Task.isCancelled { return .abandon }
            return await fail(delivery, fault: Self.classify(error), logger: logger)
        }
    }

    /// Work stopped part-way at an item boundary: paused work is held and cancelled work
    /// dropped, exactly as if it had not started; work over a rate limit is held until its
    /// time. Resumed in the meantime, it is retried.
    private func settle(_ delivery: Delivery, _ interrupt: WorkInterrupt, type: String, logger: Logger) async -> Outcome {
        do {
            switch interrupt {
            case .controlled:
                let verdict = try await obeyControls(delivery, type: type)
                if verdict != .run {
                    logger.info(verdict == .hold ? "job paused part-way: message held until it is resumed"
                                                 : "job cancelled part-way: message dropped")
                    return .ack
                }
                throw SluiceError.transient("job.resumed", "the job was resumed while its work was stopping; handling it again")
            case .rateLimited(let until, let reason):
                let job = controlled(delivery, type: type)
                let queue = laneQueue(of: delivery)
                let held = JobControls.Held(jobId: job?.jobId, project: job?.project, reason: "rate_limited",
                                            notBefore: until, queue: queue,
                                            message: try RuntimeContext.heldMessage(delivery, queue: queue))
                try await runtime.database.transaction { [runtime] connection in
                    try await JobControls.insert(held, on: connection, logger: runtime.logger)
                }
                logger.info("rate limited part-way: message held", metadata: ["until": "\(until)", "reason": "\(reason)"])
                return .ack
            }
        } catch {
            if Task.isCancelled { return .abandon }
            return await fail(delivery, fault: Self.classify(error), logger: logger)
        }
    }

    /// Stage work of a job cancelled while it runs is let go within 100 ms: the delivery is
    /// dropped (acked, as if the cancel had come first) and the work cancelled and left
    /// behind, so a big chunk's validation does not keep a cancelled job going for seconds.
    /// Its transaction, cancelled, closes its connection and commits nothing (or, if COMMIT
    /// won the race, what it sends is dropped by the next stage).
    private func letGoIfCancelled(_ delivery: Delivery, type: String,
                                  _ body: @escaping @Sendable () async throws -> Void) async throws {
        guard let jobId = controlled(delivery, type: type)?.jobId else { return try await body() }
        let controls = runtime.controls
        let watcher = LockedValue<Task<Void, Never>?>(nil)
        defer { watcher.get()?.cancel() }
        try await withInterruption(body, install: { interruption in
            watcher.set(Task {
                while !Task.isCancelled {
                    if controls.verdict(jobId: jobId, project: nil) == .drop {
                        return interruption.interrupt(with: WorkInterrupt.controlled)
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            })
        })
    }

    /// Stage work of a paused job or project is held, of a cancelled job dropped
    /// (docs/job-control.md); anything else runs.
    private func obeyControls(_ delivery: Delivery, type: String) async throws -> JobControlBoard.Verdict {
        guard let (jobId, project) = controlled(delivery, type: type), jobId != nil || project != nil else { return .run }
        let queue = laneQueue(of: delivery)
        return try await runtime.obeyControls(jobId: jobId, project: project,
                                              message: try RuntimeContext.heldMessage(delivery, queue: queue), queue: queue)
    }

    /// The job and project whose controls a delivery obeys: stage work only (not a dead
    /// letter, not an event for observers), from its headers.
    func controlled(_ delivery: Delivery, type: String) -> (jobId: String?, project: String?)? {
        guard MessageType(rawValue: type)?.isLaneWork == true,
              runtime.topology.serviceOfDeadLetterQueue(delivery.queue) == nil else { return nil }
        let headers = delivery.properties.headers
        return (headers["x-sluice-job-id"]?.stringValue, headers["x-sluice-project"]?.stringValue)
    }

    /// The service's queue of the delivery's lane, where held work goes back.
    func laneQueue(of delivery: Delivery) -> String {
        runtime.topology.queue(runtime.service, lane: Self.lane(of: delivery, topology: runtime.topology, service: runtime.service))
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

    /// Envelope check, then the handler: in a transaction with the inbox claim (a duplicate
    /// never reaches the handler), or directly for handlers that are idempotent themselves.
    private func dispatch(_ delivery: Delivery, logger: Logger) async throws {
        if runtime.topology.serviceOfDeadLetterQueue(delivery.queue) != nil, let deadLetter = handlers.deadLetter {
            return try await deadLetter(delivery, runtime.with(logger: logger))
        }
        let head = try EnvelopeCheck.head(of: delivery)
        guard let type = MessageType(rawValue: head.type) else {
            throw SluiceError.permanent("message.unknown-type", "unknown message type '\(head.type)'")
        }
        guard type.supportedVersions.contains(head.version) else {
            throw SluiceError.permanent("message.unsupported-version",
                "\(type.rawValue) version \(head.version) is not supported (supported: \(type.supportedVersions))")
        }
        guard let handler = handlers.handlers[type] else {
            // An observer binds every key and simply has nothing to do for this type (but a
            // body that is no envelope is still counted as rejected).
            if handlers.observesOnly {
                if let error = EnvelopeCheck.undecodableHead(delivery.body) { throw error }
                return
            }
            throw SluiceError.permanent("message.unhandled-type", "\(runtime.service) has no handler for \(type.rawValue)")
        }
        let trace = delivery.properties.headers["traceparent"]?.stringValue
        let redrive = RedriveReceipt(delivery, service: runtime.service)
        switch handler {
        case .direct(let prepare):
            let (stated, work) = try prepare(delivery.body, head)
            try await work(runtime.with(logger: logger), trace)
            if let redrive { try await runtime.publish([redrive.envelope(causedBy: stated)], traceparent: trace) }
        case .transactional(let prepare):
            let runtime = self.runtime
            // The body's own head (its job id even when the properties left it out).
            let (stated, before, work) = try prepare(delivery.body, head)
            if let before { try await before(runtime.with(logger: logger)) }
            try await runtime.transaction(traceparent: trace) { connection, emitter in
                // A re-driven copy reports success even when the inbox knows it: either way
                // the effect is applied exactly once.
                if let redrive { try emitter.emit(redrive.envelope(causedBy: stated)) }
                guard try await Inbox.claim(stated.id, type: type.rawValue, on: connection, logger: logger) else {
                    logger.debug("duplicate delivery ignored")
                    return
                }
                try await work(HandlerContext(connection: connection, runtime: runtime, logger: logger, emitter: emitter))
            }
        }
    }
}
