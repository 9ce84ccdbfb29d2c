import Logging

/// Publishes batches with publisher confirms on a connection of its own.
///
/// `publish` returns only when the broker has confirmed every message of the batch; a nack or
/// an unroutable mandatory message throws ``AMQPError/publishFailed(_:)``. A dropped
/// connection is retried until `timeout`: ids are deterministic, so a message that was
/// published twice is dropped by the consumer's inbox.
public final class AMQPPublisher: Sendable {
    private let worker: AMQPWorker

    /// Connects (in the background) and declares `topology` on every (re)connect.
    public init(config: AMQPConfig, topology: Topology = Topology(), logger: Logger) {
        var config = config
        config.connectionName += ".publish"
        worker = AMQPWorker(config: config, topology: topology, role: .publisher, logger: logger)
    }

    /// Whether the publishing connection is open.
    public var isConnected: Bool { worker.isConnected }

    /// Sessions opened so far: 1 while the first connection lasts, more after reconnects.
    public var connectCount: Int { worker.connectCount }

    /// Publishes `messages` and waits for every confirm.
    public func publish(_ messages: [OutgoingMessage], timeout: Duration = .seconds(120)) async throws {
        guard !messages.isEmpty else { return }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var delay = Duration.milliseconds(50)
        while true {
            do {
                try await withCheckedThrowingContinuation { continuation in
                    worker.submit(.publish(messages, continuation))
                }
                return
            } catch AMQPError.connectionLost(let reason) {
                guard clock.now + delay < deadline else { throw AMQPError.connectionLost(reason) }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
    }

    /// Publishes one message and waits for its confirm.
    public func publish(_ message: OutgoingMessage) async throws {
        try await publish([message])
    }

    /// Closes the connection; in-flight publishes fail with ``AMQPError/closed``.
    public func close() async {
        await withCheckedContinuation { worker.submit(.close($0)) }
    }
}
