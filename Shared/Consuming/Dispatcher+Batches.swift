import Contracts
import Foundation
import Logging
import Messaging
import Runtime
import Storage
import Toolkit

/// Observers (metrics, the gateway's read model) handle fresh deliveries in batches: one
/// transaction with every inbox claim and every handler's effects, one commit for the lot.
/// Under load that takes most of their commits (and round trips) off the database; alone, a
/// delivery is a batch of one. A batch that fails is rolled back and its deliveries handled
/// one by one, so only the one at fault is retried or dead-lettered.
extension Dispatcher {
    /// A delivery ready to run inside a shared transaction.
    struct BatchItem: @unchecked Sendable {
        let delivery: Delivery
        let logger: Logger
        let type: String
        /// nil: the observer has nothing to do for this type (acked).
        let id: String?
        /// For stage work: the job and project whose controls it obeys.
        let job: (jobId: String?, project: String?)?
        let work: (@Sendable (HandlerContext) async throws -> Void)?
    }

    func handleBatch(_ deliveries: [Delivery]) async -> [(Delivery, Outcome)] {
        if deliveries.count == 1 { return [(deliveries[0], await handle(deliveries[0]))] }
        var items: [BatchItem] = []
        var alone: [Delivery] = []
        for delivery in deliveries {
            if let item = batchable(delivery) { items.append(item) } else { alone.append(delivery) }
        }
        // One job's rows in one order in every batch: concurrent batches never deadlock on them.
        items = items.enumerated().sorted {
            let (a, b) = ($0.element.delivery.properties.headers["x-sluice-job-id"]?.stringValue ?? "",
                          $1.element.delivery.properties.headers["x-sluice-job-id"]?.stringValue ?? "")
            return a == b ? $0.offset < $1.offset : a < b
        }.map(\.element)
        var results: [(Delivery, Outcome)] = []
        if !items.isEmpty {
            let started = ContinuousClock.now
            do {
                let (runtime, batch) = (self.runtime, items)
                try await withDeadline(timeouts.handler, "handling a batch of \(items.count)") {
                    try await runtime.transaction { connection, emitter in
                        for item in batch {
                            // Paused or cancelled since the batch formed: roll back, and the
                            // one-by-one path holds or drops what belongs to the job.
                            if let job = item.job, runtime.controls.verdict(jobId: job.jobId, project: job.project) != .run {
                                throw WorkInterrupt.controlled
                            }
                            guard let id = item.id, let work = item.work else { continue }
                            guard try await Inbox.claim(id, type: item.type, on: connection, logger: item.logger) else { continue }
                            try await work(HandlerContext(connection: connection, runtime: runtime, logger: item.logger,
                                                          emitter: emitter))
                        }
                    }
                }
                let seconds = (ContinuousClock.now - started) / .seconds(1) / Double(items.count)
                for item in items {
                    runtime.metrics.increment("sluice_messages_consumed_total", ["service": runtime.service, "type": item.type, "outcome": "ok"])
                    runtime.metrics.observe("sluice_handler_duration_seconds", ["service": runtime.service, "type": item.type], seconds)
                    results.append((item.delivery, .ack))
                }
            } catch {
                if Task.isCancelled { return results + items.map { ($0.delivery, .abandon) } + alone.map { ($0, .abandon) } }
                runtime.logger.debug("batch failed; handling its deliveries one by one", metadata: ["error": "\(error)"])
                alone += items.map(\.delivery)
            }
        }
        for delivery in alone { results.append((delivery, await handle(delivery))) }
        return results
    }

    /// The delivery as a batch item, or nil when it must be handled alone: a dead letter, a
    /// re-driven copy, a handler with a part outside the transaction, anything that does not
    /// check out (handling it alone reports the problem as usual).
    private func batchable(_ delivery: Delivery) -> BatchItem? {
        guard runtime.topology.serviceOfDeadLetterQueue(delivery.queue) == nil,
              RedriveReceipt(delivery, service: runtime.service) == nil,
              let head = try? EnvelopeCheck.head(of: delivery),
              let type = MessageType(rawValue: head.type), type.supportedVersions.contains(head.version) else { return nil }
        // Stage work of a paused or cancelled job is held or dropped by the one-by-one path.
        let job = controlled(delivery, type: head.type)
        if let job, runtime.controls.verdict(jobId: job.jobId, project: job.project) != .run { return nil }
        let logger = logger(for: delivery)
        guard let handler = handlers.handlers[type] else {
            guard handlers.observesOnly, EnvelopeCheck.undecodableHead(delivery.body) == nil else { return nil }
            hooks.beforeHandle?(delivery, logger)
            return BatchItem(delivery: delivery, logger: logger, type: head.type, id: nil, job: job, work: nil)
        }
        guard case .transactional(let prepare) = handler, let (stated, before, work) = try? prepare(delivery.body, head),
              before == nil else { return nil }
        hooks.beforeHandle?(delivery, logger)
        return BatchItem(delivery: delivery, logger: logger, type: type.rawValue, id: stated.id, job: job, work: work)
    }
}
