import ArgumentParser
import Foundation
import SchedulerService

/// `sluice schedules`: recurring jobs. `next` works offline: it prints when a cron
/// expression fires in a time zone, by the same rules the scheduler uses; the others go
/// through the gateway (``SchedulesCommand+Manage``).
struct SchedulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedules", abstract: "Work with schedules (cron expressions in a time zone).",
        subcommands: [NextCommand.self, Add.self, Edit.self, List.self, Show.self, History.self, Run.self, BackfillCommand.self, Pause.self, Resume.self,
                      Remove.self])

    /// `sluice schedules next "EXPR" --zone ZONE --from ISO8601 --count N`.
    struct NextCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next",
            abstract: "Print the next fire times of a cron expression, one ISO-8601 timestamp with offset per line.",
            discussion: """
                Five fields (minute hour day-of-month month day-of-week) or a macro (@daily, @hourly, …), \
                evaluated on the wall clock of --zone with Vixie cron's daylight-saving rule (docs/schedules.md). \
                Times are strictly after --from.
                """)

        @Argument(help: "The cron expression, e.g. \"30 2 * * MON-FRI\".") var expression: String
        @Option(help: "IANA time zone, e.g. Europe/Madrid.") var zone = "UTC"
        @Option(help: "Start instant (ISO 8601; without an offset, a wall-clock time in --zone). Default: now.")
        var from: String?
        @Option(help: "How many fire times (1 to 10000).") var count = 10
        @Flag(help: "Print a JSON array.") var json = false

        func run() throws {
            guard let timeZone = TimeZone(identifier: zone) else {
                Self.fail("unknown time zone '\(zone)': use an IANA name such as Europe/Madrid or America/New_York")
            }
            guard (1...10_000).contains(count) else { Self.fail("--count must be 1 to 10000, got \(count)") }
            let start: Date
            if let from {
                guard let parsed = CronExpression.instant(from, in: timeZone) else {
                    Self.fail("--from '\(from)' is not an ISO-8601 date and time, e.g. 2026-03-29T00:00:00+01:00")
                }
                start = parsed
            } else {
                start = Date()
            }
            let cron: CronExpression
            do {
                cron = try CronExpression(expression)
            } catch {
                Self.fail("[\(error.code)] \(error.message)")
            }
            let lines = cron.fires(after: start, count: count, in: timeZone).map { CronExpression.timestamp($0, in: timeZone) }
            if json {
                print(String(decoding: try JSONSerialization.data(withJSONObject: lines), as: UTF8.self))
            } else {
                lines.forEach { print($0) }
            }
        }

        static func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data("sluice: \(message)\n".utf8))
            Foundation.exit(ExitCodes.usage)
        }
    }
}
