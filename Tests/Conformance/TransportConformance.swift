import Logging
import Messaging

/// The contract every ``MessageTransport`` keeps, as executable cases. The integration
/// tests run them on RabbitMQ (``AMQPTransport``), the unit tests on ``InMemoryBroker``:
/// a rule of the dispatcher tested on one transport holds on the other.
public enum TransportConformance: String, CaseIterable, Sendable, CustomStringConvertible {
    case confirmedPublishArrivesWithProperties
    case routingByType
    case unroutableIsAnError
    case competingConsumersShareTheWork
    case prefetchBoundsUnsettledDeliveries
    case nackRequeuesAndMarksRedelivered
    case rejectDeadLettersWithHeaders
    case closedConsumerReturnsItsDeliveries
    case perQueueOrdering
    case delayedRetryThroughTTL
    case settleWaitsAndRequeues
    case closedPublisherFailsFast

    public var description: String { rawValue }

    /// Runs the case on `transport` with broker objects named from `prefix` (unique per run).
    public func run(on transport: any MessageTransport, prefix: String, logger: Logger) async throws {
        let context = Context(transport: transport, t: ConformanceTopology(prefix: prefix), logger: logger)
        defer { context.closeAll() }
        switch self {
        case .confirmedPublishArrivesWithProperties: try await Self.confirmedPublish(context)
        case .routingByType: try await Self.routing(context)
        case .unroutableIsAnError: try await Self.unroutable(context)
        case .competingConsumersShareTheWork: try await Self.competing(context)
        case .prefetchBoundsUnsettledDeliveries: try await Self.prefetch(context)
        case .nackRequeuesAndMarksRedelivered: try await Self.requeue(context)
        case .rejectDeadLettersWithHeaders: try await Self.deadLetter(context)
        case .closedConsumerReturnsItsDeliveries: try await Self.closedConsumer(context)
        case .perQueueOrdering: try await Self.ordering(context)
        case .delayedRetryThroughTTL: try await Self.delayedRetry(context)
        case .settleWaitsAndRequeues: try await Self.settle(context)
        case .closedPublisherFailsFast: try await Self.closedPublisher(context)
        }
    }
}

extension TransportConformance {
    /// Makes clients on one topology and closes them all at the end.
    final class Context: @unchecked Sendable {
        let transport: any MessageTransport
        let t: ConformanceTopology
        let logger: Logger
        private var publishers: [any MessagePublisher] = []
        private var consumers: [any MessageConsumer] = []

        init(transport: any MessageTransport, t: ConformanceTopology, logger: Logger) {
            self.transport = transport
            self.t = t
            self.logger = logger
        }

        func publisher() -> any MessagePublisher {
            let publisher = transport.makePublisher(name: "\(t.prefix).p", topology: t.topology, logger: logger)
            publishers.append(publisher)
            return publisher
        }

        func consumer(prefetch: Int = 100) -> any MessageConsumer {
            let consumer = transport.makeConsumer(name: "\(t.prefix).c", topology: t.topology, prefetch: prefetch,
                                                  logger: logger)
            consumers.append(consumer)
            return consumer
        }

        func closeAll() {
            let (publishers, consumers) = (self.publishers, self.consumers)
            Task {
                for consumer in consumers { await consumer.close() }
                for publisher in publishers { await publisher.close() }
            }
        }
    }

    static func ids(_ deliveries: [Delivery]) -> [String] { deliveries.compactMap(\.properties.messageId) }
}
