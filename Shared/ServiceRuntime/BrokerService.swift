import Messaging
import ServiceLifecycle

/// Keeps the publisher for the life of the group and closes it last, after every consumer
/// and loop that publishes has stopped.
struct BrokerService: Service {
    let publisher: AMQPPublisher

    func run() async throws {
        try? await gracefulShutdown()
        await publisher.close()
    }
}

/// Runs a closure-based background loop as a service (scheduler ticks, …).
public struct LoopService: Service {
    let body: @Sendable () async throws -> Void

    /// Wraps `body`, which should return on cancellation or graceful shutdown.
    public init(_ body: @escaping @Sendable () async throws -> Void) { self.body = body }

    public func run() async throws { try await body() }
}
