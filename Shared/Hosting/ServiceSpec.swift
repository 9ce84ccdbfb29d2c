import Consuming
import Hummingbird
import Runtime
import ServiceLifecycle
import Storage

/// What a service adds to the runtime: its tables, handlers, HTTP routes and loops.
public struct ServiceSpec: Sendable {
    /// The service's own migrations (the runtime's inbox/outbox come on top).
    public var migrations: MigrationSet?
    /// Message handlers; none means the service does not consume.
    public var handlers = MessageHandlers()
    /// Adds the service's own HTTP routes.
    public var routes: @Sendable (Router<SluiceRequestContext>, RuntimeContext) -> Void = { _, _ in }
    /// Runs once after the migrations, before any handler, route or loop touches the
    /// database (e.g. storing built-in reference data). Retried with the migrations.
    public var prepare: (@Sendable (RuntimeContext) async throws -> Void)?
    /// Whether the HTTP API is meant for people elsewhere (the gateway) rather than internal
    /// (every other service: loopback, or the internal credential; see ``InternalAccess``).
    public var publicHTTP = false
    /// What `/health` adds about the service's own state, under the service's name (the
    /// scheduler's replicas, leader and fires); nil adds nothing.
    public var health: (@Sendable (RuntimeContext) async -> (any Encodable & Sendable)?)?
    /// Background loops (e.g. the scheduler's tick), started after the migrations.
    public var loops: [@Sendable (RuntimeContext) -> any Service] = []

    /// An empty spec.
    public init() {}
}
