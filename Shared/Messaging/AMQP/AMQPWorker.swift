import CRabbitMQ
import Foundation
import Logging

/// A thread that owns one broker connection. rabbitmq-c is blocking and not thread-safe, so
/// everything touching the connection happens here; async callers hand over commands (whole
/// batches at a time) through a locked inbox and a wake-up pipe, and get results back
/// through continuations or the delivery stream.
final class AMQPWorker: @unchecked Sendable {
    enum Role { case publisher, consumer(prefetch: Int) }

    enum Command {
        case publish([OutgoingMessage], Rendezvous)
        /// Acks/nacks; the rendezvous (if any) resumes once the frames are written or the
        /// connection is gone (the broker then requeues them).
        case settle([Settlement], Rendezvous?)
        case consume([String], CheckedContinuation<Void, any Error>)
        case cancelConsumers(CheckedContinuation<Void, Never>)
        case close(CheckedContinuation<Void, Never>)
    }

    struct Settlement: Sendable {
        enum Kind: Sendable { case ack, nack(requeue: Bool) }
        var tag: UInt64
        var generation: Int
        var kind: Kind
    }

    struct Pending {
        var batch: Int
        var index: Int
        var messageId: String?
        var exchange: String
        var routingKey: String
        var returned: PublishFailure.Reason?
    }

    struct Batch {
        var continuation: Rendezvous
        var remaining: Int
        var failures: [PublishFailure] = []
    }

    let config: AMQPConfig
    let topology: Topology
    let role: Role
    let logger: Logger

    // Shared with callers, guarded by `lock`.
    let lock = NSLock()
    var inbox: [Command] = []
    var connectedFlag = false
    private var terminated = false
    private var connects = 0
    let wakeReadFD: Int32
    private var wakeRead: Int32 { wakeReadFD }
    private let wakeWrite: Int32

    // Owned by the worker thread.
    var session: AMQPSession?
    var generation = 0
    var nextTag: UInt64 = 1
    var lowestUnresolved: UInt64 = 1
    var pending: [UInt64: Pending] = [:]
    var batches: [Int: Batch] = [:]
    var nextBatch = 0
    var queues: [String] = []
    var consuming = false
    var stopped = false
    let deliveryContinuation: AsyncStream<[Delivery]>.Continuation?

    init(config: AMQPConfig, topology: Topology, role: Role, logger: Logger,
         deliveries: AsyncStream<[Delivery]>.Continuation? = nil) {
        self.config = config
        self.topology = topology
        self.role = role
        self.logger = logger
        self.deliveryContinuation = deliveries
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "pipe failed")
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeReadFD = fds[0]
        wakeWrite = fds[1]
        let thread = Thread { [self] in self.run() }
        thread.name = "amqp-\(config.connectionName)"
        thread.start()
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Whether a session is open right now.
    var isConnected: Bool { lock.withLock { connectedFlag } }

    /// How many times a session was opened (1 after the first connect; more after reconnects).
    var connectCount: Int { lock.withLock { connects } }

    func submit(_ command: Command) {
        let accepted = lock.withLock { () -> Bool in
            guard !terminated else { return false }
            inbox.append(command)
            return true
        }
        guard accepted else { return Self.answerClosed(command) }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Answers a command the worker will never run (it has closed).
    static func answerClosed(_ command: Command) {
        switch command {
        case .publish(_, let rendezvous): rendezvous.resume(throwing: TransportError.closed)
        case .consume(_, let continuation): continuation.resume(throwing: TransportError.closed)
        case .cancelConsumers(let continuation), .close(let continuation): continuation.resume()
        case .settle(_, let continuation): continuation?.resume()
        }
    }

    func drainWake() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    func takeCommands() -> [Command] {
        lock.withLock {
            defer { inbox.removeAll(keepingCapacity: true) }
            return inbox
        }
    }

    var hasCommands: Bool { lock.withLock { !inbox.isEmpty } }

    // MARK: - The loop

    private func run() {
        var delay = config.initialReconnectDelay
        while !stopped {
            if session == nil {
                do {
                    try connect()
                    delay = config.initialReconnectDelay
                } catch {
                    logger.warning("broker unavailable, retrying", metadata: [
                        "broker": "\(config.redacted)", "error": "\(error)", "retry_in": "\(delay)"])
                    // Commands are answered (failed fast) while waiting, but they never cut the
                    // backoff short: a burst of publishes must not become a reconnect storm.
                    let until = ContinuousClock.now + .milliseconds(jittered(delay))
                    handleCommandsWhileDisconnected()
                    while !stopped {
                        let left = until - ContinuousClock.now
                        guard left > .zero else { break }
                        waitForWake(milliseconds: max(1, Int(left.components.seconds) * 1000
                                                          + Int(left.components.attoseconds / 1_000_000_000_000_000)))
                        handleCommandsWhileDisconnected()
                    }
                    delay = min(delay * 2, config.maxReconnectDelay)
                    continue
                }
            }
            processCommands()
            if session != nil && !stopped { pump() }
        }
        deliveryContinuation?.finish()
        // Closed: whatever is still queued, or arrives later, is answered, never left hanging.
        let leftovers = lock.withLock { () -> [Command] in
            terminated = true
            defer { inbox.removeAll() }
            return inbox
        }
        for command in leftovers { Self.answerClosed(command) }
    }

    private func jittered(_ delay: Duration) -> Int {
        let ms = Double(delay.components.seconds) * 1000 + Double(delay.components.attoseconds) / 1e15
        return Int(ms * Double.random(in: 0.5...1.0))
    }

    func waitForWake(milliseconds: Int) {
        var fd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, Int32(milliseconds))
        drainWake()
    }

    private func connect() throws(TransportError) {
        let session = try AMQPSession(config: config)
        do {
            try session.declare(topology)
            switch role {
            case .publisher: try session.confirmSelect()
            case .consumer(let prefetch): try session.qos(prefetch: prefetch)
            }
            if consuming {
                for queue in queues { try session.consume(queue: queue, tag: consumerTag(queue)) }
            }
        } catch {
            session.abandon()
            throw error
        }
        self.session = session
        generation += 1
        nextTag = 1
        lowestUnresolved = 1
        lock.withLock {
            connectedFlag = true
            connects += 1
        }
        logger.info("broker connected", metadata: ["broker": "\(config.redacted)", "generation": "\(generation)"])
    }

    func consumerTag(_ queue: String) -> String { "\(config.connectionName).\(queue)" }

    /// Drops the connection after an error: in-flight publishes fail (callers may retry; ids
    /// are deterministic, so duplicates are harmless), and unacked deliveries are left to the
    /// broker, which requeues them.
    func teardown(_ error: TransportError) {
        logger.warning("broker connection lost", metadata: ["error": "\(error)"])
        session?.abandon()
        session = nil
        lock.withLock { connectedFlag = false }
        failAllPending(with: error)
    }

    func failAllPending(with error: any Error) {
        pending.removeAll()
        let failed = batches
        batches.removeAll()
        for batch in failed.values { batch.continuation.resume(throwing: error) }
    }
}
