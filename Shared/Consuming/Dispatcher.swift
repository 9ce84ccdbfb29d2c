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
/// Deliveries wait in a ``DeliveryPool`` with one lane per priority; each free handler slot
/// takes the next by lane weight (``LaneWeights``), so urgent work starts first and low work
/// still advances.
///
/// The stages, one file each: the serving loop and settling (here), handling one delivery
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
    let lanes: LaneWeights
    let queues: [String]?
    /// Retries a transient failure by requeueing it on its own queue instead of through the
    /// service's delay queues (which lead back to its work queue): the control queue's way.
    let retryInPlace: Bool
    /// Fresh deliveries handled in one transaction at most (``handleBatch(_:)``), for services
    /// whose handlers allow it (``MessageHandlers/batchesDeliveries``); else 1.
    let batch: Int

    /// What becomes of a delivery: acked, requeued, or left unsettled (the process is being
    /// cancelled; the broker redelivers it once the connection closes).
    enum Outcome { case ack, requeue, abandon }

    package init(runtime: RuntimeContext, consumer: any MessageConsumer, handlers: MessageHandlers, policies: RetryPolicies,
         concurrency: Int, gate: StartupGate, hooks: DispatchHooks = DispatchHooks(), timeouts: RuntimeTimeouts,
         ledger: (any DeliveryLedger)? = nil, lanes: LaneWeights = LaneWeights(), queues: [String]? = nil,
         retryInPlace: Bool = false, batch: Int = 1) {
        self.retryInPlace = retryInPlace
        self.batch = handlers.batchesDeliveries ? max(1, batch) : 1
        self.lanes = lanes
        self.queues = queues
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
        let queues = self.queues ?? runtime.topology.consumedQueues(runtime.service)
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
        let (consumer, watchdog, topology, service) = (self.consumer, self.watchdog, runtime.topology, runtime.service)
        let watch = Task { await watchdog.watch() }
        let pool = DeliveryPool(weights: lanes) { Self.lane(of: $0, topology: topology, service: service) }
        let feed = Task {
            for await batch in consumer.deliveries {
                watchdog.received(batch.count)
                pool.add(batch)
            }
            pool.finish()
        }
        await withGracefulShutdownHandler {
            await self.serve(pool)
        } onGracefulShutdown: {
            Task { await consumer.stopConsuming() }
        }
        feed.cancel()
        watch.cancel()
        if Task.isCancelled {
            runtime.logger.error("shutdown deadline passed: leaving in-flight deliveries unacked for redelivery",
                                 metadata: ["in_flight": "\(watchdog.inFlight)"])
        }
        await consumer.close()
        runtime.logger.info("consumer stopped")
    }

    /// What a handler slot reports: a delivery handled, or new deliveries waiting.
    private enum Event: Sendable { case handled([(Delivery, Outcome)]), arrived }

    /// Runs the pool's deliveries in up to `concurrency` slots, taking the next by lane
    /// weight each time a slot frees, and settles fresh deliveries in groups (one hop per
    /// group). Suspects are set aside until no fresh delivery waits (or many have started
    /// since, so a steady load cannot hold them back for ever); then, with nothing else
    /// running and everything done settled, one runs alone and is settled before anything
    /// else starts.
    func serve(_ pool: DeliveryPool) async {
        var done: [(Delivery, Outcome)] = []
        var suspects = FIFO<Delivery>()
        await withTaskGroup(of: Event.self) { group in
            var running = 0
            var waiting = false
            var startedSinceSuspect = 0
            func record(_ event: Event) {
                switch event {
                case .handled(let outcomes):
                    running -= 1
                    done += outcomes.filter { $0.1 != .abandon }
                case .arrived:
                    waiting = false
                }
            }
            while !Task.isCancelled {
                while running < concurrency, let next = pool.take() {
                    if isSuspect(next) {
                        suspects.append(next)
                        continue
                    }
                    // A fair share of what waits, so every slot has work: a batch never takes
                    // the parallelism away (a big job's chunks still run side by side).
                    let share = min(batch, 1 + pool.count / max(1, concurrency - running))
                    var taken = [next]
                    while taken.count < share, let more = pool.take() {
                        if isSuspect(more) { suspects.append(more) } else { taken.append(more) }
                    }
                    let work = taken
                    group.addTask { .handled(await self.handleBatch(work)) }
                    running += 1
                    startedSinceSuspect += work.count
                }
                if !suspects.isEmpty, pool.isEmpty || startedSinceSuspect >= 4 * concurrency {
                    while running > 0, let event = await group.next() { record(event) }
                    let suspect = suspects.removeFirst()!
                    startedSinceSuspect = 0
                    guard await settle(done) else {
                        done = []
                        giveBack([suspect])
                        continue
                    }
                    done = []
                    let outcome = await handleSuspect(suspect)
                    if outcome == .abandon { break }
                    _ = await settle([(suspect, outcome)])
                    continue
                }
                if !done.isEmpty, running == 0 || done.count >= concurrency || pool.isEmpty {
                    flush(done)
                    done = []
                }
                if running == 0, suspects.isEmpty, pool.isDrained { break }
                // Once consuming stopped nothing more arrives: just finish what runs.
                if !waiting, running < concurrency, !pool.isDrained {
                    group.addTask { await pool.arrival(); return .arrived }
                    waiting = true
                }
                guard let event = await group.next() else { break }
                record(event)
            }
            // Stopped: what is done is still settled. Cancelled (the shutdown deadline
            // passed), what runs is abandoned by its handler, and it and the suspects not yet
            // handled are redelivered once the connection closes.
            group.cancelAll()
            while let event = await group.next() { record(event) }
            if !done.isEmpty { flush(done) }
        }
    }

    /// Settles fresh deliveries without waiting for the frames (one hop each way).
    private func flush(_ done: [(Delivery, Outcome)]) {
        let acks = done.filter { $0.1 == .ack }.map(\.0)
        let requeues = done.filter { $0.1 == .requeue }.map(\.0)
        if !acks.isEmpty { consumer.ack(acks) }
        if !requeues.isEmpty { consumer.nack(requeues, requeue: true) }
        watchdog.settled(done.count)
    }

    /// Settles and waits for the frames (bounded); false when that failed, in which case the
    /// rest is left to redelivery rather than risk settling out of order.
    private func settle(_ done: [(Delivery, Outcome)]) async -> Bool {
        guard !done.isEmpty else { return true }
        do {
            try await consumer.settle(acks: done.filter { $0.1 == .ack }.map(\.0),
                                      requeues: done.filter { $0.1 == .requeue }.map(\.0))
            watchdog.settled(done.count)
            return true
        } catch {
            runtime.logger.error("cannot settle deliveries; leaving them to redelivery", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// The lane a delivery is served in: its job's priority (the header survives retries,
    /// which come back through the normal queue), else the lane queue it came from.
    static func lane(of delivery: Delivery, topology: SluiceTopology, service: String) -> Priority {
        if let name = delivery.properties.headers[Priority.header]?.stringValue, let priority = Priority(name: name) {
            return priority
        }
        return topology.lane(ofQueue: delivery.queue, service: service)
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
