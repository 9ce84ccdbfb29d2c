import Logging
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

/// Logs when a member of the group stops, so a shutdown that hangs names the culprit.
struct NamedService: Service {
    let name: String
    let inner: any Service
    let logger: Logger

    func run() async throws {
        logger.debug("starting \(name)")
        do {
            try await inner.run()
            logger.debug("stopped \(name)")
        } catch {
            logger.warning("\(name) failed", metadata: ["error": "\(String(reflecting: error))"])
            throw error
        }
    }
}

/// Sleeps for `duration`, returning early on graceful shutdown or cancellation; loops call
/// this between ticks so a long interval never delays a shutdown.
public func sleepUnlessShuttingDown(for duration: Duration) async {
    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
}
