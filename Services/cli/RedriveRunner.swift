import APIModels
import ArgumentParser
import Foundation

/// Sends a re-drive request and shows what came of it: on a dry run the dead letters that
/// would be sent and those that would not (with why); otherwise the re-drive's id and, with
/// `--wait`, its progress (polled every 500 ms) until it is completed or stopped. A re-drive
/// that stopped, or in which any message failed again, exits with ``ExitCodes/jobFailed``.
struct RedriveRunner {
    let api: APIClient
    let options: RedriveOptions

    /// What `--json --wait` prints: the plan as started and the re-drive as it ended.
    struct Outcome: Encodable {
        var plan: RedrivePlan
        var redrive: Redrive
    }

    func run(path: String, request: RedriveRequest) async throws {
        let plan = try await api.send(RedrivePlan.self, "POST", path, body: request)
        if plan.dryRun { return try showDryRun(plan) }
        guard let started = plan.redrive else {
            throw CLIError(code: ExitCodes.unavailable, message: "the incident service answered without a re-drive")
        }
        if options.json && !options.wait { return try HTTPJSON.print(plan) }
        if !options.json {
            writeLine(started.id)
            Self.say("re-driving \(started.total) dead letter(s) at \(APIClient.number(started.rate))/s"
                + (started.canary ? ", a canary first" : ""))
            for (id, reason) in plan.skipped.sorted(by: { $0.key < $1.key }) { Self.say("  skipped \(id): \(reason)") }
        }
        guard options.wait else { return }
        let ended = try await follow(started)
        if options.json { try HTTPJSON.print(Outcome(plan: plan, redrive: ended)) }
        if ended.state == "stopped" {
            throw CLIError(code: ExitCodes.jobFailed,
                           message: "re-drive \(ended.id) stopped: \(ended.stopReason ?? "no reason given")")
        }
        if ended.failed > 0 {
            throw CLIError(code: ExitCodes.jobFailed,
                           message: "re-drive \(ended.id): \(ended.failed) of \(ended.total) message(s) failed again")
        }
    }

    private func showDryRun(_ plan: RedrivePlan) throws {
        if options.json { return try HTTPJSON.print(plan) }
        if plan.deadLetters.isEmpty {
            print("dry run: nothing would be re-driven")
        } else {
            print("dry run: \(plan.deadLetters.count) dead letter(s) would be re-driven")
            print(DeadLettersCommand.table(plan.deadLetters))
        }
        if !plan.skipped.isEmpty {
            print("")
            print("\(plan.skipped.count) skipped:")
            print(Table.render(plan.skipped.sorted { $0.key < $1.key }.map { [$0.key, oneLine($0.value)] },
                               header: ["ID", "REASON"]))
        }
    }

    /// Polls `GET /redrives/:id` until the re-drive ends, showing progress on standard error.
    /// A service that is briefly unreachable is polled again until `--timeout`.
    private func follow(_ started: Redrive) async throws -> Redrive {
        let deadline = ContinuousClock.now + .seconds(options.timeout)
        let tty = isatty(STDERR_FILENO) == 1
        let show = !options.json
        var current = started
        var last = ""
        while true {
            let line = Self.progress(current)
            if show && line != last {
                FileHandle.standardError.write(Data(((tty ? "\r\u{1B}[K" : "") + line + (tty ? "" : "\n")).utf8))
                last = line
            }
            if current.state == "completed" || current.state == "stopped" { break }
            guard ContinuousClock.now < deadline else {
                if show && tty { FileHandle.standardError.write(Data("\n".utf8)) }
                throw CLIError(code: ExitCodes.unavailable,
                               message: "re-drive \(current.id) did not end within \(options.timeout)s (it goes on); "
                                   + "see `sluice incidents show` for its progress")
            }
            try await Task.sleep(for: .milliseconds(500))
            do {
                current = try await api.get(Redrive.self, "/redrives/" + APIClient.escape(current.id))
            } catch let error as CLIError where error.code == ExitCodes.unavailable {
                continue
            }
        }
        if show && tty { FileHandle.standardError.write(Data("\n".utf8)) }
        return current
    }

    /// `running    [████····] sent 4/10  succeeded 3  failed 0`.
    static func progress(_ redrive: Redrive) -> String {
        let width = 20
        let fraction = redrive.total == 0 ? 1.0 : Double(redrive.sent) / Double(redrive.total)
        let filled = max(0, min(width, Int(fraction * Double(width))))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        return "\(redrive.state.padding(toLength: 10, withPad: " ", startingAt: 0)) [\(bar)] sent \(redrive.sent)/\(redrive.total)"
            + "  succeeded \(redrive.succeeded)  failed \(redrive.failed)"
    }

    /// A line on standard error (standard output carries only the re-drive id).
    static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// The options of both re-drive commands.
struct RedriveOptions: ParsableArguments {
    @Flag(help: "Only list what would be sent (and what would not, with why).") var dryRun = false
    @Option(help: "Messages per second after the canary (default: the service's incident.redrive.rate).")
    var rate: Double?
    @Flag(name: .customLong("no-canary"), help: "Send at the rate straight away instead of one message first.")
    var noCanary = false
    @Flag(help: "Follow the re-drive until it ends; exit 1 if it stopped or any message failed again.") var wait = false
    @Option(help: "Seconds to follow it with --wait.") var timeout: Int = 3600
    @Flag(help: "Print JSON.") var json = false

    /// The request body, for `deadLetterIds` (or, for an incident, none: the route sets it).
    func request(deadLetterIds: [String]? = nil) throws -> RedriveRequest {
        if let rate, !(rate > 0 && rate.isFinite) {
            throw CLIError(code: ExitCodes.usage, message: "--rate must be a number of messages per second above 0")
        }
        guard timeout > 0 else { throw CLIError(code: ExitCodes.usage, message: "--timeout must be at least 1 second") }
        return RedriveRequest(deadLetterIds: deadLetterIds, dryRun: dryRun, rate: rate, canary: !noCanary)
    }
}
