import APIModels
import Contracts
import Foundation
import Hosting
import Hummingbird
import Runtime

/// `GET /api/v1/status`: the one status view of the whole system, put together from the
/// services' health, the broker's queues (replicas are the consumers of each work queue), the
/// gateway's jobs and the scheduler's schedules. Each part that cannot be had is left empty
/// and the status says `degraded`, so the view still answers when something is down.
struct StatusRoute {
    let api: GatewayAPI
    let system: SystemRoutes
    let jobs: JobRepository
    let client: InternalClient
    let prefix: String

    func add() {
        api.add("getStatus") { _, _, _ in HTTPResponses.json(await status()) }
    }

    /// The scheduler's `/health`: its state under `scheduler`.
    private struct SchedulerHealthBody: Decodable { let scheduler: SchedulerHealth? }

    func status() async -> SystemStatus {
        async let health = system.health()
        async let queueRows = try? system.queues()
        async let counts = try? jobs.counts(endedSince: Date().addingTimeInterval(-86_400))
        async let schedulerHealth = try? client.json(SchedulerHealthBody.self, "scheduler", .GET, "/health")
        async let buckets = try? client.json([RateLimitBucket].self, "ingest", .GET, "/limits")
        let (services, queues, jobCounts, detail, limits) = await (health, queueRows, counts, schedulerHealth, buckets)
        let rows = queues ?? []
        var statuses: [ServiceStatus] = []
        for name in services.keys.sorted() {
            let own = rows.filter { $0.name == "\(prefix).\(name)" || $0.name.hasPrefix("\(prefix).\(name).") }
            let work = rows.first { $0.name == "\(prefix).\(name)" }
            statuses.append(ServiceStatus(name: name, health: services[name] ?? "down", replicas: work?.consumers,
                                          waiting: own.filter { !$0.name.hasSuffix(".dlq") && !$0.name.contains(".retry.") }
                                              .reduce(0) { $0 + $1.ready + $1.unacked },
                                          deadLetters: own.first { $0.name.hasSuffix(".dlq") }?.ready ?? 0))
        }
        let state = detail?.scheduler
        let scheduler = SchedulerStatus(health: services["scheduler"] ?? "down", schedules: state?.schedules ?? 0,
                                        enabled: state?.enabled ?? 0, nextSchedule: state?.nextSchedule,
                                        nextFireAt: state?.nextFireAt, detail: state)
        let degraded = services.values.contains("down") || queues == nil || jobCounts == nil
            || statuses.contains { $0.deadLetters > 0 }
        return SystemStatus(status: degraded ? "degraded" : "ok", at: Date(), services: statuses, queues: rows,
                            jobs: jobCounts ?? [], rateLimits: limits ?? [], scheduler: scheduler)
    }
}
