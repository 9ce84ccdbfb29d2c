import Contracts
import Logging
import Messaging
import Storage

extension Dispatcher {
    /// Handles a redelivered message: counts the delivery (committed before the handler
    /// runs, so a crash still leaves the count), dead-letters it as poison once it has been
    /// handed to handlers `deliveryLimit` times, and otherwise handles it normally.
    func handleSuspect(_ delivery: Delivery) async -> Outcome {
        let logger = logger(for: delivery)
        let key = delivery.properties.messageId ?? MessageID.sha256Hex(delivery.body)
        let limit = runtime.topology.deliveryLimit
        let redeliveries: Int
        do {
            redeliveries = try await ledger.record(key, queue: delivery.queue)
        } catch {
            // Without a count we cannot tell poison from bad luck: wait and let it come back.
            logger.error("cannot count a redelivery; requeueing", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            return .requeue
        }
        let outcome: Outcome
        if redeliveries >= limit {
            runtime.metrics.increment("sluice_messages_poison_total",
                                      ["service": runtime.service, "type": Self.messageType(delivery)])
            let fault = SluiceError.permanent("message.poison", """
                delivered \(redeliveries + 1) times without being settled (limit \(limit)): the consumer died \
                (crash, out of memory or killed) each time it handled this message
                """)
            outcome = await fail(delivery, fault: fault, attempts: redeliveries + 1, logger: logger)
        } else {
            logger.warning("handling a redelivered message on its own", metadata: ["deliveries": "\(redeliveries + 1)"])
            outcome = await handle(delivery)
        }
        if outcome == .abandon { return .abandon }
        if outcome == .ack {
            try? await ledger.forget(key, queue: delivery.queue)
        }
        return outcome
    }
}
