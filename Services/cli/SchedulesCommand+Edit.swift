import APIModels
import ArgumentParser
import Contracts
import Foundation
import Runtime
import SchedulerService

extension SchedulesCommand {
    /// `sluice schedules edit NAME [--cron …] [--zone …] …`: changes only what is given, as a
    /// JSON merge patch (`PATCH /api/v1/schedules/{schedule}`; admins).
    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a schedule: only the options given change (its fires and history stay).")
        @Argument(help: "The schedule's name or id.") var name: String
        @Option(help: "The cron expression.") var cron: String?
        @Option(help: "IANA time zone the expression is read in.") var zone: String?
        @Option(help: "A JSON file holding the new job.submit body (replaces the job).") var job: String?
        @Option(help: "A new URL source for the job.") var url: String?
        @Option(help: "A new server path source for the job.") var path: String?
        @Option(help: "A schema stored for the project.") var schemaName: String?
        @Option(help: "A plan stored for the project.") var planName: String?
        @Option(help: "latest, all or skip: fires missed while the scheduler was down.") var catchUp: String?
        @Option(help: "Seconds a missed fire may be late and still be caught up.") var catchUpWindow: Int?
        @Option(help: "skip, bufferOne, allowAll or cancelRunning: a fire while the last run still runs.") var overlap: String?
        @Option(help: "Delay each fire by up to this many seconds (0 to 3600).") var jitter: Int?
        @Option(help: "No fire before this instant (ISO 8601; without an offset, wall time in the zone).") var start: String?
        @Option(help: "No fire after this instant.") var end: String?
        @Flag(help: "Remove the start bound.") var noStart = false
        @Flag(help: "Remove the end bound.") var noEnd = false
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let api = try APIClient(global: global)
                let path = "/schedules/\(APIClient.escape(name))"
                let current = try await api.get(Schedule.self, path)
                guard let timeZone = TimeZone(identifier: zone ?? current.zone) else {
                    throw CLIError(code: ExitCodes.usage, message: "unknown time zone '\(zone ?? "")': use an IANA name such as Europe/Madrid")
                }
                var patch: [String: Any] = [:]
                patch["cron"] = cron
                patch["zone"] = zone
                if let job {
                    guard let data = FileManager.default.contents(atPath: job),
                          var body = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                        throw CLIError(code: ExitCodes.usage, message: "\(job) is not a JSON object (a job.submit body)")
                    }
                    // A whole new job: what the old one had and this one does not is removed, at every depth.
                    let old = try current.job.map { try JSONSerialization.jsonObject(with: Data(JSONCoding.encode($0))) } as? [String: Any]
                    body = SchedulesCommand.replacing(old ?? [:], with: body)
                    patch["job"] = body
                }
                var jobChanges = patch["job"] as? [String: Any] ?? [:]
                if let url { jobChanges["source"] = ["kind": "url", "url": url] }
                if let path = self.path { jobChanges["source"] = ["kind": "path", "path": path] }
                jobChanges["schemaName"] = schemaName ?? jobChanges["schemaName"]
                jobChanges["planName"] = planName ?? jobChanges["planName"]
                if !jobChanges.isEmpty { patch["job"] = jobChanges }
                if catchUp != nil || catchUpWindow != nil {
                    if let catchUp, CatchUp.Policy(rawValue: catchUp) == nil {
                        throw CLIError(code: ExitCodes.usage, message: "--catch-up must be latest, all or skip")
                    }
                    var rule: [String: Any] = [:]
                    rule["policy"] = catchUp ?? current.catchUp?.policy.rawValue ?? "latest"
                    rule["windowSeconds"] = catchUpWindow
                    patch["catchUp"] = rule
                }
                if let overlap {
                    guard Overlap(rawValue: overlap) != nil else {
                        throw CLIError(code: ExitCodes.usage, message: "--overlap must be skip, bufferOne, allowAll or cancelRunning")
                    }
                    patch["overlap"] = overlap
                }
                patch["jitterSeconds"] = jitter
                patch["startAt"] = noStart ? NSNull() : try SchedulesCommand.instant(start, "--start", in: timeZone).map(JSONCoding.formatTimestamp)
                patch["endAt"] = noEnd ? NSNull() : try SchedulesCommand.instant(end, "--end", in: timeZone).map(JSONCoding.formatTimestamp)
                guard !patch.isEmpty else {
                    throw CLIError(code: ExitCodes.usage, message: "nothing to change: give at least one option (see --help)")
                }
                let bytes = try JSONSerialization.data(withJSONObject: patch)
                let edited = try await api.send(Schedule.self, "PATCH", path, bytes: Array(bytes), headers: [:])
                if json { return try HTTPJSON.print(edited) }
                let shownZone = TimeZone(identifier: edited.zone) ?? .gmt
                print("\(edited.name): \(edited.cron) in \(edited.zone), overlap \(edited.overlap.rawValue), next "
                      + (edited.nextFireAt.map { CronExpression.timestamp($0, in: shownZone) } ?? "never"))
            }
        }
    }

    /// A merge patch that turns `old` into exactly `new`: members `new` lacks become null, and
    /// objects in both are patched the same way.
    static func replacing(_ old: [String: Any], with new: [String: Any]) -> [String: Any] {
        var patch = new
        for (key, value) in old {
            guard let replacement = new[key] else { patch[key] = NSNull(); continue }
            if let inner = value as? [String: Any], let newInner = replacement as? [String: Any] {
                patch[key] = replacing(inner, with: newInner)
            }
        }
        return patch
    }

    /// An ISO-8601 option (without an offset: wall time in `zone`), nil when not given.
    static func instant(_ text: String?, _ flag: String, in zone: TimeZone) throws -> Date? {
        guard let text else { return nil }
        guard let date = CronExpression.instant(text, in: zone) else {
            throw CLIError(code: ExitCodes.usage, message: "\(flag) '\(text)' is not an ISO-8601 date and time")
        }
        return date
    }
}
