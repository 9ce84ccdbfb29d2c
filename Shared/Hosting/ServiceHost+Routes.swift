import Hummingbird
import Messaging
import Runtime

extension ServiceHost {
    /// `/health` (the process is up, with what the service's ``ServiceSpec/health`` adds),
    /// `/ready` (migrations applied, broker and database reachable) and `/metrics`
    /// (Prometheus text).
    static func addOperationalRoutes(_ router: Router<SluiceRequestContext>, runtime: RuntimeContext,
                                     consumer: (any MessageConsumer)?, gate: StartupGate,
                                     health: (@Sendable (RuntimeContext) async -> (any Encodable & Sendable)?)?) {
        router.get("health") { _, _ in
            let details = await health?(runtime)
            return HTTPResponses.json(HealthReport(service: runtime.service, details: details))
        }
        router.get("ready") { _, _ in
            let migrated = await gate.isOpen
            let database = await runtime.database.isReachable()
            let publisher = runtime.publisher.isConnected
            let consuming = consumer?.isConnected ?? true
            let ready = migrated && database && publisher && consuming
            return HTTPResponses.json([
                "status": ready ? "ready" : "not-ready", "service": runtime.service,
                "migrations": migrated ? "applied" : "pending", "database": database ? "up" : "down",
                "broker": publisher && consuming ? "up" : "down",
            ], status: ready ? .ok : .serviceUnavailable)
        }
        router.get("metrics") { _, _ in
            HTTPResponses.text(runtime.metrics.render(), contentType: "text/plain; version=0.0.4")
        }
    }
}
