import Contracts
import Foundation
import Hummingbird
import Logging
import Messaging
import ServiceLifecycle
import Storage

/// What a service adds to the runtime: its tables, handlers, HTTP routes and loops.
public struct ServiceSpec: Sendable {
    /// The service's own migrations (the runtime's inbox/outbox come on top).
    public var migrations: MigrationSet?
    /// Message handlers; none means the service does not consume.
    public var handlers = MessageHandlers()
    /// Adds the service's own HTTP routes.
    public var routes: @Sendable (Router<BasicRequestContext>, RuntimeContext) -> Void = { _, _ in }
    /// Runs once after the migrations, before any handler, route or loop touches the
    /// database (e.g. storing built-in reference data). Retried with the migrations.
    public var prepare: (@Sendable (RuntimeContext) async throws -> Void)?
    /// Background loops (e.g. the scheduler's tick), started after the migrations.
    public var loops: [@Sendable (RuntimeContext) -> any Service] = []

    /// An empty spec.
    public init() {}
}

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

    /// Builds (does not start) the service.
    public init(config: RuntimeConfig, spec: ServiceSpec, logger: Logger, handleSignals: Bool = false) {
        var logger = logger
        logger[metadataKey: "service"] = "\(config.service)"
        self.config = config
        let gate = StartupGate()
        let database = Database(config: config.database, logger: logger)
        let topology = config.topology.all().merged(
            with: config.topology.service(config.service,
                                          keys: SluiceTopology.subscriptions.first { $0.service == config.service }?.keys ?? [],
                                          policies: config.retry))
        let declared = spec.handlers.isEmpty ? config.topology.all() : topology
        let publisher = AMQPPublisher(config: config.amqp, topology: declared, logger: logger)
        let metrics = MetricsRegistry()
        let runtime = RuntimeContext(service: config.service, database: database, publisher: publisher,
                                     topology: config.topology, metrics: metrics, logger: logger,
                                     values: config.values, gate: gate)
        self.runtime = runtime
        var sets = [MigrationSet.runtime]
        if let own = spec.migrations { sets.append(own) }

        var consumer: AMQPConsumer?
        if !spec.handlers.isEmpty {
            consumer = AMQPConsumer(config: config.amqp, topology: declared, prefetch: config.prefetch, logger: logger)
        }
        let router = Router()
        Self.addOperationalRoutes(router, runtime: runtime, consumer: consumer, gate: gate)
        spec.routes(router, runtime)
        let port = self.port
        let app = Application(router: router,
                              configuration: .init(address: .hostname(config.httpHost, port: config.httpPort),
                                                   serverName: "sluice-\(config.service)"),
                              onServerRunning: { channel in port.set(channel.localAddress?.port) },
                              logger: logger)

        var prepare: (@Sendable () async throws -> Void)?
        if let hook = spec.prepare { prepare = { try await hook(runtime) } }
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
                                                   faults: config.faults)))
        }
        // Any member ending or failing shuts the whole service down gracefully: a service that
        // lost a part must not limp on half-alive.
        let services = members.map { name, service in
            ServiceGroupConfiguration.ServiceConfiguration(
                service: NamedService(name: name, inner: service, logger: logger),
                successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
        }
        group = ServiceGroup(configuration: .init(services: services,
                                                  gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
                                                  logger: logger))
    }

    /// Runs until shut down (SIGTERM/SIGINT when signals are handled, or ``shutdown()``).
    public func run() async throws {
        try await group.run()
    }

    /// Starts a graceful shutdown: stop consuming, finish in-flight work, close.
    public func shutdown() async {
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

/// A value behind a lock, for state set from callbacks.
public final class LockedValue<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T

    /// Creates the box.
    public init(_ value: T) { self.value = value }
    /// Reads the value.
    public func get() -> T { lock.withLock { value } }
    /// Replaces the value.
    public func set(_ newValue: T) { lock.withLock { value = newValue } }
    /// Changes the value in place and returns what `body` returns.
    public func update<R>(_ body: (inout T) -> R) -> R { lock.withLock { body(&value) } }
}
