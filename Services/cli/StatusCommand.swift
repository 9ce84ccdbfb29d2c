import APIModels
import ArgumentParser
import Foundation

/// `sluice status`: the whole system at a glance, from `GET /api/v1/status`. Exits 0 when the
/// status is `ok`, 3 (unavailable) when it is `degraded`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Services and replicas, queue depths, jobs by state and priority, rate limits and the scheduler.")

    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            let status = try await APIClient(global: global).get(SystemStatus.self, "/status")
            if json {
                try HTTPJSON.print(status)
            } else {
                print("status \(status.status) at \(APIClient.time(status.at))\n")
                print(Table.render(status.services.map { service in
                    [service.name, service.health, service.replicas.map(String.init) ?? "-", String(service.waiting),
                     String(service.deadLetters)]
                }, header: ["SERVICE", "HEALTH", "REPLICAS", "WAITING", "DEAD LETTERS"]))
                print("")
                let priorities = ["urgent", "normal", "low"]
                let states = Array(Set(status.jobs.map(\.state))).sorted()
                print(Table.render(states.map { state in
                    [state] + priorities.map { priority in
                        String(status.jobs.first { $0.state == state && $0.priority == priority }?.count ?? 0)
                    }
                }, header: ["JOBS", "URGENT", "NORMAL", "LOW"]))
                if !status.rateLimits.isEmpty {
                    print("")
                    print(Table.render(status.rateLimits.map { bucket in
                        [bucket.scope, bucket.key, bucket.subject, String(bucket.limit), String(bucket.available),
                         String(bucket.waiting)]
                    }, header: ["LIMIT", "FOR", "ON", "PER PERIOD", "AVAILABLE", "WAITING"]))
                }
                let scheduler = status.scheduler
                print("\nscheduler \(scheduler.health): \(scheduler.enabled) of \(scheduler.schedules) schedules enabled"
                      + (scheduler.nextFireAt.map { "; next \(scheduler.nextSchedule ?? "?") at \(APIClient.time($0))" } ?? ""))
                if let replicas = scheduler.replicas {
                    print("  \(scheduler.state ?? "?"), \(replicas) replica(s), leader \(scheduler.leader ?? "none")")
                }
                if let last = scheduler.lastFire {
                    print("  last fire: \(last.schedule) at \(APIClient.time(last.scheduledAt)): \(last.outcome)"
                          + ((last.jobId.map { "job \($0)" } ?? last.batchId.map { "batch \($0)" })
                              .map { " (\($0)\(last.state.map { ", \($0)" } ?? ""))" } ?? ""))
                }
                if let overdue = scheduler.overdue, !overdue.isEmpty {
                    print("  overdue (an incident is open): \(overdue.joined(separator: ", "))")
                }
            }
            if status.status != "ok" { throw ExitCode(ExitCodes.unavailable) }
        }
    }
}
