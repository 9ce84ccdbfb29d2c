import Catalog
import Foundation
import Messaging
import Runtime

/// Listens on a pipeline's events exchange (its own throwaway queue) and keeps what arrives.
final class EventTap: @unchecked Sendable {
    let consumer: AMQPConsumer
    let collector: DeliveryCollector

    init(prefix: String, keys: [String]) async throws {
        let topology = SluiceTopology(prefix: prefix, subscriptions: ServiceCatalog.subscriptions)
        let queue = "\(prefix).tap.\(UUID().uuidString.prefix(8))"
        let declared = Topology(exchanges: [.init(name: topology.eventsExchange, type: "topic")],
                                queues: [.init(name: queue, arguments: ["x-expires": .int(300_000)])],
                                bindings: keys.map { .init(queue: queue, exchange: topology.eventsExchange, routingKey: $0) })
        let config = try TestEnvironment.runtimeConfig("metrics", prefix: prefix)
        consumer = AMQPConsumer(config: config.amqp, topology: declared, prefetch: 500, logger: TestEnvironment.logger)
        collector = DeliveryCollector(consumer)
        try await consumer.consume(queues: [queue])
    }

    /// Messages of `type` so far, one per message id: delivery is at least once (the outbox
    /// relay may resend what a committing task is still confirming), as for any consumer.
    func messages(_ type: String) -> [Delivery] {
        var seen = Set<String>()
        return collector.deliveries.filter { $0.routingKey == type && seen.insert($0.properties.messageId ?? "").inserted }
    }

    func close() async { await consumer.close() }
}
