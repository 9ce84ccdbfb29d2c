import Consuming
import Contracts
import Foundation
import Hummingbird
import Logging
import Messaging
import Runtime
import ServiceLifecycle
import Storage
import Toolkit

/// One running service: the composition of database, migrations, publisher, HTTP server,
/// outbox relay, loops and consumer in a `ServiceGroup`. `sluice serve` and the tests build
/// services through this same path.
public final class ServiceHost: Sendable {
    /// The runtime handed to handlers and routes.
    public let runtime: RuntimeContext
    /// The typed configuration.
    public let config: RuntimeConfig
    private let group: ServiceGroup
    private let port = LockedValue<Int?>(nil)
    private let consumer: (any MessageConsumer)?
    private let exitOnDeadline: Bool
    private let stopping: ShutdownLatch

    /// Builds (does not start) the service, on `transport` (AMQP to `config.amqp` unless
    /// given: unit tests pass an ``InMemoryBroker``).
    public init(config: RuntimeConfig, spec: ServiceSpec, logger: Logger, handleSignals: Bool = false,
                transport: (any MessageTransport)? = nil, hooks: DispatchHooks? = nil) {
        var logger = logger
        logger[metadataKey: "service"] = "\(config.service)"
        self.config = config
        let stopping = ShutdownLatch()
        self.stopping = stopping
        let gate = StartupGate()
        let database = Database(config: config.database, logger: logger)
        // The service's own bindings come from its handlers; the others' from the catalog
        // (declaring every queue lets a first publish route before its consumer has started).
        var names = config.topology
        let own = SluiceTopology.Subscription(service: config.service, keys: spec.handlers.bindingKeys,
                                              deadLetters: spec.handlers.consumesDeadLetters,
                                              controlled: spec.handlers.obeysJobControls)
        names.subscriptions.removeAll { $0.service == config.service }
        if !spec.handlers.isEmpty { names.subscriptions.append(own) }
        var declared = names.all()
        if !spec.handlers.isEmpty {
            declared = declared.merged(with: names.service(config.service, keys: own.keys, policies: config.retry,
                                                           controlled: own.controlled))
        }
        let transport = transport ?? AMQPTransport(config: config.amqp, timeouts: config.timeouts.amqp)
        let publisher = transport.makePublisher(name: config.amqp.connectionName, topology: declared, logger: logger)
        let metrics = MetricsRegistry()
        let runtime = RuntimeContext(service: config.service, database: database, publisher: publisher,
                                     topology: names, metrics: metrics, logger: logger,
                                     values: config.values, objects: config.faults.wrapping(config.storage.makeStore(), logger: logger),
                                     gate: gate, chunkInlineLimit: config.chunkInlineLimit)
        self.runtime = runtime
        var sets = [MigrationSet.runtime]
        if let own = spec.migrations { sets.append(own) }

        var consumer: (any MessageConsumer)?
        if !spec.handlers.isEmpty {
            consumer = transport.makeConsumer(name: config.amqp.connectionName, topology: declared,
                                              prefetch: config.prefetch, logger: logger)
        }
        let router = Router(context: SluiceRequestContext.self)
        if !spec.publicHTTP, let expected = InternalAccess.header(token: InternalAccess(config: config).token) {
            router.add(middleware: InternalAccessMiddleware(expected: expected))
        }
        Self.addOperationalRoutes(router, runtime: runtime, consumer: consumer, gate: gate, health: spec.health)
        spec.routes(router, runtime)
        let port = self.port
        let app = Application(router: router,
                              configuration: .init(address: .hostname(config.httpHost, port: config.httpPort),
                                                   serverName: "sluice-\(config.service)"),
                              onServerRunning: { channel in port.set(channel.localAddress?.port) },
                              logger: logger)

        var prepare: (@Sendable () async throws -> Void)?
        let hook = spec.prepare
        if own.controlled {
            // Operators' controls are known before the first delivery: paused or cancelled work
            // waiting in the queues is never handled after a restart.
            prepare = {
                try await hook?(runtime)
                try await runtime.controls.refresh(from: runtime.database, logger: runtime.logger)
            }
        } else if let hook {
            prepare = { try await hook(runtime) }
        }
        var members: [(String, any Service)] = [
            ("database", database),
            ("migrations", MigrationService(database: database, sets: sets, gate: gate, logger: logger, prepare: prepare)),
            ("publisher", BrokerService(publisher: publisher)),
            ("http", app),
            ("outbox-relay", OutboxRelay(runtime: runtime, gate: gate)),
        ]
        members += spec.loops.enumerated().map { ("loop-\($0.offset)", $0.element(runtime)) }
        if let consumer {
            members.append(("consumer", Dispatcher(runtime: runtime, consumer: consumer, handlers: spec.handlers,
                                                   policies: config.retry, concurrency: config.concurrency, gate: gate,
                                                   hooks: hooks ?? DispatchHooks(faults: config.faults),
                                                   timeouts: config.timeouts, lanes: config.lanes,
                                                   batch: config.observerBatch)))
        }
        if own.controlled {
            // Operators' controls on a connection of their own, never behind the work.
            let controls = transport.makeConsumer(name: config.amqp.connectionName + "-control", topology: declared,
                                                  prefetch: 50, logger: logger)
            members.append(("controls", Dispatcher(runtime: runtime, consumer: controls, handlers: JobControlHandler.handlers,
                                                   policies: config.retry, concurrency: 1, gate: gate,
                                                   timeouts: config.timeouts, queues: [names.controlQueue(config.service)],
                                                   retryInPlace: true)))
            members.append(("control-board", JobControlHandler.refresher(runtime)))
        }
        // Last, so it is the first told of a shutdown (the group stops members in reverse).
        members.append(("shutdown-watch", ShutdownWatch(latch: stopping)))
        // Any member ending or failing shuts the whole service down gracefully: a service that
        // lost a part must not limp on half-alive.
        let services = members.map { name, service in
            ServiceGroupConfiguration.ServiceConfiguration(
                service: NamedService(name: name, inner: service, logger: logger),
                successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
        }
        var configuration = ServiceGroupConfiguration(services: services,
                                                      gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
                                                      logger: logger)
        // Past the deadline, graceful shutdown becomes cancellation: the consumer stops
        // handling and closes, leaving what was in flight unacked for redelivery.
        configuration.maximumGracefulShutdownDuration = config.timeouts.shutdown
        group = ServiceGroup(configuration: configuration)
        self.consumer = consumer
        self.exitOnDeadline = handleSignals
    }

    /// Runs until shut down (SIGTERM/SIGINT when signals are handled, or ``shutdown()``).
    ///
    /// Shutdown is bounded: the group gets ``RuntimeTimeouts/shutdown`` to finish gracefully,
    /// then is cancelled; if even cancellation has not ended it 10 s later (an await that
    /// ignores cancellation), the consumer is closed, so its deliveries go back to the
    /// broker, and the process exits (or, in-process, `run()` returns).
    public func run() async throws {
        let group = self.group
        let outcome = LockedValue<Result<Void, any Error>?>(nil)
        let finished = Task {
            let result = await Result<Void, any Error>(awaiting: { try await group.run() })
            outcome.update { if $0 == nil { $0 = result } }
        }
        defer { finished.cancel() }
        let deadline = Task { [consumer, logger = runtime.logger, exitOnDeadline, timeouts = config.timeouts, stopping] in
            await stopping.wait()
            try? await Task.sleep(for: timeouts.shutdown + .seconds(10))
            guard !Task.isCancelled, outcome.get() == nil else { return }
            logger.error("shutdown did not finish in time; closing the consumer so its deliveries are redelivered",
                         metadata: ["deadline": "\(timeouts.shutdown)"])
            // Bounded: the connection's thread may be what is stuck. Exiting closes the socket
            // anyway, and the broker requeues what the consumer held.
            _ = try? await withDeadline(.seconds(5), "closing the consumer") { await consumer?.close() }
            if exitOnDeadline { exit(1) }
            finished.cancel()
            outcome.update { if $0 == nil { $0 = .failure(CancellationError()) } }
            stopping.expire()
        }
        defer { deadline.cancel() }
        await withTaskCancellationHandler {
            await stopping.waitForEnd(of: finished)
        } onCancel: {
            finished.cancel()
        }
        if let result = outcome.get() { try result.get() }
    }

    /// Starts a graceful shutdown: stop consuming, finish in-flight work, close.
    public func shutdown() async {
        stopping.begin()
        await group.triggerGracefulShutdown()
    }

    /// The HTTP port once the server listens (useful with port 0).
    public func listeningPort(timeout: Duration = .seconds(30)) async -> Int? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let p = port.get() { return p }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Waits until migrations are applied.
    public func waitUntilReady() async throws { try await runtime.waitUntilReady() }
}
