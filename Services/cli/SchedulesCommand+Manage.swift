import APIModels
import ArgumentParser
import Contracts
import Foundation
import Runtime
import SchedulerService

/// `sluice schedules add|list|show|history|run|remove` (`edit`: ``SchedulesCommand/Edit``), through the gateway (docs/schedules.md).
extension SchedulesCommand {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create (or replace) a schedule: a cron expression in a time zone and the job it submits.")
        @Argument(help: "The schedule's name (unique).") var name: String
        @Option(help: "The cron expression, e.g. \"0 2 * * *\".") var cron: String
        @Option(help: "IANA time zone the expression is read in.") var zone = "UTC"
        @Option(help: "The project (default: your only project, else default).") var project: String?
        @Option(help: "A JSON file holding the job.submit body to send at each fire.") var job: String?
        @Option(help: "Or: a URL source for the job.") var url: String?
        @Option(help: "Or: a server path source for the job.") var path: String?
        @Option(help: "A schema stored for the project.") var schemaName: String?
        @Option(help: "A plan stored for the project.") var planName: String?
        @Option(help: "latest, all or skip: what to do with fires missed while the scheduler was down.") var catchUp: String?
        @Option(help: "Seconds a missed fire may be late and still be caught up.") var catchUpWindow: Int?
        @Option(help: "No fire before this instant (ISO 8601).") var start: String?
        @Option(help: "No fire after this instant (ISO 8601).") var end: String?
        @Option(help: "skip (default), bufferOne, allowAll or cancelRunning: a fire while the last run still runs.")
        var overlap: String?
        @Option(help: "Delay each fire by up to this many seconds (0 to 3600), the same for every replica.") var jitter: Int?
        @Flag(help: "Create it paused.") var disabled = false
        @OptionGroup var actionOptions: ScheduleActionOptions
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                guard let timeZone = TimeZone(identifier: zone) else {
                    throw CLIError(code: ExitCodes.usage, message: "unknown time zone '\(zone)': use an IANA name such as Europe/Madrid")
                }
                let action = try actionOptions.resolved()
                var submit: JobSubmit?
                if action != nil {
                    guard job == nil, url == nil, path == nil, schemaName == nil, planName == nil else {
                        throw CLIError(code: ExitCodes.usage, message: "a \(action?.kind.rawValue ?? "") schedule has no job: leave out --job, --url, --path, --schema-name and --plan-name")
                    }
                } else if let job {
                    guard let data = FileManager.default.contents(atPath: job) else {
                        throw CLIError(code: ExitCodes.usage, message: "cannot read \(job)")
                    }
                    do { submit = try JSONCoding.decode(JobSubmit.self, from: Array(data)) } catch {
                        throw CLIError(code: ExitCodes.usage, message: "\(job) is not a job.submit body: \(describe(error))")
                    }
                } else if let url {
                    submit = JobSubmit(source: .url(url))
                } else if let path {
                    submit = JobSubmit(source: .path(path))
                } else {
                    throw CLIError(code: ExitCodes.usage, message: "give the job: --job FILE, --url URL or --path PATH")
                }
                if var job = submit {
                    job.schemaName = schemaName ?? job.schemaName
                    job.planName = planName ?? job.planName
                    submit = job
                }
                var rule: CatchUp?
                if catchUp != nil || catchUpWindow != nil {
                    guard let policy = CatchUp.Policy(rawValue: catchUp ?? "latest") else {
                        throw CLIError(code: ExitCodes.usage, message: "--catch-up must be latest, all or skip")
                    }
                    rule = CatchUp(policy: policy, windowSeconds: catchUpWindow)
                }
                let policy = try overlap.map { text in
                    guard let policy = Overlap(rawValue: text) else {
                        throw CLIError(code: ExitCodes.usage, message: "--overlap must be skip, bufferOne, allowAll or cancelRunning")
                    }
                    return policy
                }
                let body = NewScheduleBody(project: project, name: name, cron: cron, zone: zone, job: submit, action: action,
                                           enabled: disabled ? false : nil, catchUp: rule,
                                           startAt: try SchedulesCommand.instant(start, "--start", in: timeZone),
                                           endAt: try SchedulesCommand.instant(end, "--end", in: timeZone),
                                           overlap: policy, jitterSeconds: jitter)
                let created = try await APIClient(global: global).send(Schedule.self, "POST", "/schedules", body: body)
                if json { return try HTTPJSON.print(created) }
                print("\(created.name) (\(created.id)): \(created.cron) in \(created.zone), next "
                      + (created.nextFireAt.map { CronExpression.timestamp($0, in: timeZone) } ?? "never"))
            }
        }
    }

    /// `POST /api/v1/schedules`.
    struct NewScheduleBody: Encodable {
        var project: String?
        var name: String
        var cron: String
        var zone: String
        var job: JobSubmit?
        var action: ScheduleAction?
        var enabled: Bool?
        var catchUp: CatchUp?
        var startAt: Date?
        var endAt: Date?
        var overlap: Overlap?
        var jitterSeconds: Int?
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Schedules, by name.")
        @Option var project: String?
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                let schedules = try await APIClient(global: global).get([Schedule].self, "/schedules", query: [("project", project)])
                if json { return try HTTPJSON.print(schedules) }
                print(Table.render(schedules.map { s in
                    [s.name, s.project ?? "default", s.cron, s.zone, s.enabled ? "yes" : "paused", Self.next(s)]
                }, header: ["NAME", "PROJECT", "CRON", "ZONE", "ENABLED", "NEXT"]))
            }
        }

        static func next(_ schedule: Schedule) -> String {
            guard let next = schedule.nextFireAt else { return "never" }
            return CronExpression.timestamp(next, in: TimeZone(identifier: schedule.zone) ?? .gmt)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A schedule, its next 10 fires and its last 10.")
        @Argument(help: "The schedule's name or id.") var name: String
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                let (schedule, fires) = try await History.load(name, global: global)
                let zone = TimeZone(identifier: schedule.zone) ?? .gmt
                var upcoming: [Date] = []
                if schedule.enabled, let first = schedule.nextFireAt, let cron = try? CronExpression(schedule.cron) {
                    upcoming = [first] + cron.fires(after: first, count: 9, in: zone)
                    if let end = schedule.endAt { upcoming.removeAll { $0 > end } }
                }
                if json {
                    struct Detail: Encodable { var schedule: Schedule; var next: [Date]; var last: [ScheduleFire] }
                    return try HTTPJSON.print(Detail(schedule: schedule, next: upcoming, last: Array(fires.prefix(10))))
                }
                print("\(schedule.name) (\(schedule.id)), project \(schedule.project ?? "default")"
                      + (schedule.action.map { ", action \($0.kind.rawValue)" } ?? ""))
                let paused = schedule.pauseNote.map { "paused: \($0)" } ?? "paused"
                print("  \(schedule.cron) in \(schedule.zone), \(schedule.enabled ? "enabled" : paused)"
                      + (schedule.catchUp.map { rule in
                          ", catch-up \(rule.policy.rawValue)" + (rule.windowSeconds.map { " within \($0) s" } ?? "") } ?? "")
                      + ", overlap \(schedule.overlap.rawValue)"
                      + (schedule.jitterSeconds > 0 ? ", jitter up to \(schedule.jitterSeconds) s" : ""))
                print("next:")
                upcoming.forEach { print("  " + CronExpression.timestamp($0, in: zone)) }
                print("last:")
                History.render(Array(fires.prefix(10)), zone: zone)
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A schedule's fires and what became of each, newest first.")
        @Argument(help: "The schedule's name or id.") var name: String
        @Option var limit = 100
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                let (schedule, all) = try await Self.load(name, global: global)
                let fires = Array(all.prefix(max(0, limit)))
                if json { return try HTTPJSON.print(fires) }
                Self.render(fires, zone: TimeZone(identifier: schedule.zone) ?? .gmt)
            }
        }

        /// The schedule (by name or id) and its recorded fires, newest first.
        static func load(_ name: String, global: GlobalOptions) async throws -> (Schedule, [ScheduleFire]) {
            let api = try APIClient(global: global)
            let path = "/schedules/\(APIClient.escape(name))"
            return (try await api.get(Schedule.self, path), try await api.get([ScheduleFire].self, path + "/fires"))
        }

        static func render(_ fires: [ScheduleFire], zone: TimeZone) {
            print(Table.render(fires.map { fire in
                [CronExpression.timestamp(fire.scheduledAt, in: zone), fire.outcome, fire.jobId ?? fire.batchId ?? "", fire.state ?? "",
                 fire.durationSeconds.map { String(format: "%.1f s", $0) } ?? "", fire.reason ?? ""]
            }, header: ["SCHEDULED", "OUTCOME", "RUN", "STATE", "DURATION", "REASON"]))
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Submit the schedule's job now, or run its action (its fires are unchanged); prints the job id or what was sent.")
        @Argument(help: "The schedule's name or id.") var name: String
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                let api = try APIClient(global: global)
                let path = "/schedules/\(APIClient.escape(name))"
                if try await api.get(Schedule.self, path).action != nil {
                    let receipt = try await api.send(ScheduleRunReceipt.self, "POST", path + "/run", body: [String: String]())
                    if json { return try HTTPJSON.print(receipt) }
                    return print(receipt.sent)
                }
                let job = try await api.send(GatewayJob.self, "POST", path + "/run", body: [String: String]())
                if json { return try HTTPJSON.print(job) }
                print(job.id)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a schedule (its jobs stay).")
        @Argument(help: "The schedule's name or id.") var name: String
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                try await APIClient(global: global).call("DELETE", "/schedules/\(APIClient.escape(name))")
                print("removed \(name)")
            }
        }
    }
}

extension SchedulesCommand {
    struct BackfillCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backfill",
            abstract: "Run a schedule for every fire time in [--from, --to), each its own job with that date (--dry-run lists them).")
        @Argument(help: "The schedule's name or id.") var name: String
        @Option(help: "Start of the range (ISO 8601; without an offset, wall time in the schedule's zone).") var from: String
        @Option(help: "End of the range, not included.") var to: String
        @Flag(help: "List the fire times only.") var dryRun = false
        @Flag(help: "Run one at a time, oldest first (each when the one before it ends); default: all at once.")
        var oneAtATime = false
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                let api = try APIClient(global: global)
                let path = "/schedules/\(APIClient.escape(name))"
                let schedule = try await api.get(Schedule.self, path)
                let zone = TimeZone(identifier: schedule.zone) ?? .gmt
                guard let start = CronExpression.instant(from, in: zone), let end = CronExpression.instant(to, in: zone) else {
                    throw CLIError(code: ExitCodes.usage, message: "--from and --to must be ISO-8601 dates and times")
                }
                let backfill = try await api.send(Backfill.self, "POST", path + "/backfill",
                                                  body: BackfillRequest(from: start, to: end, dryRun: dryRun ? true : nil,
                                                                       overlap: oneAtATime ? .bufferAll : nil))
                if json { return try HTTPJSON.print(backfill) }
                print(Table.render(backfill.runs.map {
                    [CronExpression.timestamp($0.scheduledAt, in: zone), $0.jobId ?? $0.batchId ?? "(dry run)", $0.state ?? ""]
                }, header: ["SCHEDULED", "RUN", "STATE"]))
            }
        }
    }
}

extension SchedulesCommand {
    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a schedule firing, with a note saying why.")
        @Argument(help: "The schedule's name or id.") var name: String
        @Option(help: "Why (shown with the schedule).") var note: String?
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                let schedule = try await APIClient(global: global).send(Schedule.self, "POST",
                                                                        "/schedules/\(APIClient.escape(name))/pause",
                                                                        body: SchedulePause(note: note))
                if json { return try HTTPJSON.print(schedule) }
                print("paused \(schedule.name)" + (schedule.pauseNote.map { ": \($0)" } ?? ""))
            }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a paused schedule fire again, from its next fire time (what fell due meanwhile is not run).")
        @Argument(help: "The schedule's name or id.") var name: String
        @Flag var json = false
        @OptionGroup var global: GlobalOptions
        func run() async throws {
            try await exiting {
                let schedule = try await APIClient(global: global).send(Schedule.self, "POST",
                                                                        "/schedules/\(APIClient.escape(name))/resume",
                                                                        body: [String: String]())
                if json { return try HTTPJSON.print(schedule) }
                print("resumed \(schedule.name), next " + List.next(schedule))
            }
        }
    }
}
