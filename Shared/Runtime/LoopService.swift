import ServiceLifecycle

/// Runs a closure-based background loop as a service (scheduler ticks, …).
public struct LoopService: Service {
    let body: @Sendable () async throws -> Void

    /// Wraps `body`, which should return on cancellation or graceful shutdown.
    public init(_ body: @escaping @Sendable () async throws -> Void) { self.body = body }

    /// Runs the loop until it returns.
    public func run() async throws { try await body() }
}

/// Sleeps for `duration`, returning early on graceful shutdown or cancellation; loops call
/// this between ticks so a long interval never delays a shutdown.
public func sleepUnlessShuttingDown(for duration: Duration) async {
    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
}
