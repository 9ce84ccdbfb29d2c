import Foundation
import Messaging

/// Drains a consumer's delivery stream in the background so tests can wait for counts.
final class DeliveryCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [Delivery] = []
    private var task: Task<Void, Never>?

    /// Starts collecting; acks each delivery unless `ack` is false.
    init(_ consumer: AMQPConsumer, ack: Bool = true) {
        task = Task { [weak self] in
            for await batch in consumer.deliveries {
                self?.lock.withLock { self?.received.append(contentsOf: batch) }
                if ack { consumer.ack(batch) }
            }
        }
    }

    deinit { task?.cancel() }

    var deliveries: [Delivery] { lock.withLock { received } }

    /// Waits until at least `count` deliveries arrived; returns them.
    func wait(for count: Int, timeout: Duration = .seconds(20)) async throws -> [Delivery] {
        _ = try await TestEnvironment.eventually(timeout: timeout, every: .milliseconds(20)) { deliveries.count >= count }
        return deliveries
    }
}

/// A small topology per test: `<p>.x` (topic) → `<p>.q` (dead-lettering to `<p>.dlq` via `<p>.dlx`).
struct TestTopology {
    let prefix: String
    var exchange: String { "\(prefix).x" }
    var queue: String { "\(prefix).q" }
    var deadLetterQueue: String { "\(prefix).dlq" }

    init(prefix: String = TestEnvironment.uniquePrefix("m")) { self.prefix = prefix }

    var topology: Topology {
        let expires: [String: HeaderValue] = ["x-expires": .int(300_000)]
        return Topology(
            exchanges: [.init(name: exchange, type: "topic"), .init(name: "\(prefix).dlx", type: "direct")],
            queues: [
                .init(name: queue, arguments: expires.merging([
                    "x-dead-letter-exchange": .string("\(prefix).dlx"), "x-dead-letter-routing-key": .string("q"),
                ]) { $1 }),
                .init(name: deadLetterQueue, arguments: expires),
            ],
            bindings: [.init(queue: queue, exchange: exchange, routingKey: "work.#"),
                       .init(queue: deadLetterQueue, exchange: "\(prefix).dlx", routingKey: "q")])
    }

    func message(_ index: Int, size: Int = 64) -> OutgoingMessage {
        var body = Array("message-\(index)|".utf8)
        body += [UInt8](repeating: UInt8(ascii: "x"), count: max(0, size - body.count))
        return OutgoingMessage(exchange: exchange, routingKey: "work.item", body: body,
                               properties: MessageProperties(messageId: "m-\(index)", type: "work.item",
                                                             headers: ["x-index": .int(Int64(index))]))
    }
}
