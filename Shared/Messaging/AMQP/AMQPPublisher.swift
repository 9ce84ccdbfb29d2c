import Logging

/// Publishes batches with publisher confirms on a connection of its own.
///
/// `publish` returns only when the broker has confirmed every message of the batch; a nack or
/// an unroutable mandatory message throws ``TransportError/publishFailed(_:)``. A dropped
/// connection is retried, and the whole wait (reconnects and confirms) is bounded by
/// ``AMQPTimeouts/publish``: past it the publish fails with ``TransportError/timedOut(_:)``.
/// Ids are deterministic, so a message that was published twice is dropped by the
/// consumer's inbox.
public final class AMQPPublisher: MessagePublisher {
    private let worker: AMQPWorker
    private let timeouts: AMQPTimeouts

    /// Connects (in the background) and declares `topology` on every (re)connect.
    public init(config: AMQPConfig, topology: Topology = Topology(), timeouts: AMQPTimeouts = AMQPTimeouts(),
                logger: Logger) {
        var config = config
        config.connectionName += ".publish"
        self.timeouts = timeouts
        worker = AMQPWorker(config: config, topology: topology, role: .publisher, logger: logger)
    }

    /// Whether the publishing connection is open.
    public var isConnected: Bool { worker.isConnected }

    /// Sessions opened so far: 1 while the first connection lasts, more after reconnects.
    public var connectCount: Int { worker.connectCount }

    /// Publishes `messages` and waits for every confirm, at most ``AMQPTimeouts/publish``.
    public func publish(_ messages: [OutgoingMessage]) async throws {
        try await publish(messages, timeout: timeouts.publish)
    }

    /// Publishes `messages` and waits for every confirm, at most `timeout` in all.
    public func publish(_ messages: [OutgoingMessage], timeout: Duration) async throws {
        guard !messages.isEmpty else { return }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var delay = Duration.milliseconds(50)
        while true {
            let left = deadline - clock.now
            guard left > .zero else { throw TransportError.timedOut("confirming \(messages.count) message(s)") }
            do {
                try await Rendezvous.wait(timeout: left, "confirming \(messages.count) message(s)") { rendezvous in
                    worker.submit(.publish(messages, rendezvous))
                }
                return
            } catch TransportError.connectionLost(let reason) {
                guard clock.now + delay < deadline else { throw TransportError.connectionLost(reason) }
                try await Task.sleep(for: delay)  // throws when cancelled: no spinning
                delay = min(delay * 2, .seconds(2))
            }
        }
    }

    /// Closes the connection; in-flight publishes fail with ``TransportError/closed``.
    public func close() async {
        await withCheckedContinuation { worker.submit(.close($0)) }
    }
}
