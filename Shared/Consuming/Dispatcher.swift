import Contracts
import Foundation
import Logging
import Messaging
import Runtime
import ServiceLifecycle
import Storage
import Toolkit

/// Consumes a service's queues and runs its handlers. Each delivery is acked only after its
/// effects are committed (with the inbox record) and the messages it caused are written to
/// the outbox and confirmed by the broker; failures are retried or dead-lettered with fault
/// headers, never dropped. On graceful shutdown it stops consuming and finishes what is in
/// flight; if that takes longer than the shutdown deadline, the group cancels it, and the
/// deliveries still in flight are left unacked for the broker to redeliver.
///
/// The stages, one file each: the batch loop and settling (here), handling one delivery
/// (`+Handling`: envelope check, inbox, bound), failures (`+Failures`: retry or
/// dead-letter with fault headers), suspected poison (`+Poison`), and the stall alarm
/// (``ConsumerWatchdog``).
///
/// Redelivered messages are suspects: one of them may have killed the previous consumer.
/// They are handled one at a time, after the batch's fresh messages are settled, and each
/// is counted first (``DeliveryLedger``); past ``SluiceTopology/deliveryLimit`` it is
/// dead-lettered as poison instead of being handled again. Handling suspects alone keeps
/// innocent messages that happened to be in flight from being counted with the poison.
public final class Dispatcher: Service, Sendable {
    let runtime: RuntimeContext
    let consumer: any MessageConsumer
    let handlers: MessageHandlers
    let policies: RetryPolicies
    let concurrency: Int
    let gate: StartupGate
    let hooks: DispatchHooks
    let timeouts: RuntimeTimeouts
    let watchdog: ConsumerWatchdog
    let ledger: any DeliveryLedger

    /// What becomes of a delivery: acked, requeued, or left unsettled (the process is being
    /// cancelled; the broker redelivers it once the connection closes).
    enum Outcome { case ack, requeue, abandon }

    package init(runtime: RuntimeContext, consumer: any MessageConsumer, handlers: MessageHandlers, policies: RetryPolicies,
         concurrency: Int, gate: StartupGate, hooks: DispatchHooks = DispatchHooks(), timeouts: RuntimeTimeouts,
         ledger: (any DeliveryLedger)? = nil) {
        self.ledger = ledger ?? DeliveryCounter(database: runtime.database, logger: runtime.logger)
        self.runtime = runtime
        self.consumer = consumer
        self.handlers = handlers
        self.policies = policies
        self.concurrency = max(1, concurrency)
        self.gate = gate
        self.hooks = hooks
        self.timeouts = timeouts
        self.watchdog = ConsumerWatchdog(stall: timeouts.stall, logger: runtime.logger, metrics: runtime.metrics,
                                         service: runtime.service)
    }

    /// Consumes until shut down (see the type's documentation).
    public func run() async throws {
        try await gate.wait()
        let queues = runtime.topology.consumedQueues(runtime.service)
        var delay = Duration.milliseconds(200)
        while true {
            do {
                try await consumer.consume(queues: queues)
                break
            } catch TransportError.connectionLost(let reason) {
                // A broker blip at start-up: the worker reconnects; ask again.
                runtime.logger.warning("consume failed; retrying", metadata: ["error": "\(reason)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        runtime.logger.info("consuming", metadata: ["queues": "\(queues)"])
        let consumer = self.consumer
        let watch = Task { await watchdog.watch() }
        await withGracefulShutdownHandler {
            for await batch in consumer.deliveries {
                watchdog.received(batch.count)
                await self.process(batch)
                if Task.isCancelled { break }
            }
        } onGracefulShutdown: {
            Task { await consumer.stopConsuming() }
        }
        watch.cancel()
        if Task.isCancelled {
            runtime.logger.error("shutdown deadline passed: leaving in-flight deliveries unacked for redelivery",
                                 metadata: ["in_flight": "\(watchdog.inFlight)"])
        }
        await consumer.close()
        runtime.logger.info("consumer stopped")
    }

    /// Handles a batch: fresh deliveries with bounded concurrency (settled in one hop each
    /// way), then suspects one by one, each settled before the next starts.
    func process(_ batch: [Delivery]) async {
        let suspects = batch.filter(isSuspect)
        let fresh = suspects.isEmpty ? batch : batch.filter { !isSuspect($0) }
        let outcomes = await handleConcurrently(fresh)
        if suspects.isEmpty {
            consumer.ack(outcomes.acks)
            consumer.nack(outcomes.requeues, requeue: true)
            watchdog.settled(outcomes.acks.count + outcomes.requeues.count)
            return
        }
        guard await settle(acks: outcomes.acks, requeues: outcomes.requeues) else { return giveBack(suspects) }
        for (index, suspect) in suspects.enumerated() {
            let outcome = await handleSuspect(suspect)
            if outcome == .abandon { return }
            guard await settle(acks: outcome == .ack ? [suspect] : [], requeues: outcome == .requeue ? [suspect] : [])
            else { return giveBack(Array(suspects[(index + 1)...])) }
        }
    }

    private func handleConcurrently(_ deliveries: [Delivery]) async -> (acks: [Delivery], requeues: [Delivery]) {
        var acks: [Delivery] = []
        var requeues: [Delivery] = []
        await withTaskGroup(of: (Delivery, Outcome).self) { group in
            var iterator = deliveries.makeIterator()
            for _ in 0..<concurrency {
                guard let delivery = iterator.next() else { break }
                group.addTask { (delivery, await self.handle(delivery)) }
            }
            for await (delivery, outcome) in group {
                switch outcome {
                case .ack: acks.append(delivery)
                case .requeue: requeues.append(delivery)
                case .abandon: break
                }
                if let next = iterator.next() { group.addTask { (next, await self.handle(next)) } }
            }
        }
        return (acks, requeues)
    }

    /// Settles and waits for the frames (bounded); false when that failed, in which case the
    /// rest of the batch is left to redelivery rather than risk settling out of order.
    private func settle(acks: [Delivery], requeues: [Delivery]) async -> Bool {
        do {
            try await consumer.settle(acks: acks, requeues: requeues)
            watchdog.settled(acks.count + requeues.count)
            return true
        } catch {
            runtime.logger.error("cannot settle deliveries; leaving them to redelivery", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Requeues suspects that were never handled (a settle before them failed), so they do
    /// not hold prefetch slots until the connection drops.
    private func giveBack(_ suspects: [Delivery]) {
        guard !suspects.isEmpty else { return }
        consumer.nack(suspects, requeue: true)
        watchdog.settled(suspects.count)
    }

    /// Redelivered, and not a dead letter (the incident service never dead-letters those).
    private func isSuspect(_ delivery: Delivery) -> Bool {
        delivery.redelivered && runtime.topology.serviceOfDeadLetterQueue(delivery.queue) == nil
    }
}
