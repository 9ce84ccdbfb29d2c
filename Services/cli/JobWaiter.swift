import APIModels
import Contracts
import Foundation

/// Follows a job's progress through the metrics service until it ends.
struct JobWaiter {
    let metricsURL: String
    let publishURL: String
    let json: Bool

    func wait(jobId: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        let tty = isatty(STDERR_FILENO) == 1
        var last = ""
        var unreachable: CLIError?
        while ContinuousClock.now < deadline {
            // A slow or restarting metrics service is not the job's fault: keep polling until the
            // wait's own deadline, and report the last error only then.
            let polled: JobProgress?
            do {
                polled = try await HTTPJSON.get(JobProgress.self, "\(metricsURL)/jobs/\(jobId)")
                unreachable = nil
            } catch let error as CLIError where error.code == ExitCodes.unavailable {
                unreachable = error
                try await Task.sleep(for: .milliseconds(500))
                continue
            }
            if let progress = polled {
                let line = Self.describe(progress)
                if line != last && !json {
                    FileHandle.standardError.write(Data(((tty ? "\r\u{1B}[K" : "") + line + (tty ? "" : "\n")).utf8))
                    last = line
                }
                switch progress.state {
                case "published":
                    if tty && !json { FileHandle.standardError.write(Data("\n".utf8)) }
                    let list = try await HTTPJSON.get(ArtifactList.self, "\(publishURL)/jobs/\(jobId)/artifacts")
                    if json {
                        try HTTPJSON.print(Outcome(progress: progress, artifacts: list?.artifacts ?? []))
                    } else {
                        for artifact in list?.artifacts ?? [] {
                            print("  \(artifact.name)  \(artifact.bytes) bytes  \(publishURL)/jobs/\(jobId)/artifacts/\(artifact.name)")
                        }
                    }
                    return
                case "stored", "skipped":
                    if tty && !json { FileHandle.standardError.write(Data("\n".utf8)) }
                    if json { try HTTPJSON.print(Outcome(progress: progress, artifacts: [])) }
                    else { print(progress.state == "skipped"
                        ? "  skipped: the input did not change since the dataset's last job (use --force to run it anyway)"
                        : "  stored: the input is kept by ingest; run analysis later with --stages analysis-only --from-job \(jobId)") }
                    return
                case "stalled":
                    // A message of the job is dead-lettered: waiting longer cannot help.
                    if tty && !json { FileHandle.standardError.write(Data("\n".utf8)) }
                    if json { try HTTPJSON.print(Outcome(progress: progress, artifacts: [])) }
                    throw CLIError(code: ExitCodes.jobFailed, message: """
                        job \(jobId) stalled: \(progress.stalledReason ?? "a message was dead-lettered"). \
                        See `sluice incidents show \(progress.incidentId ?? "ID")`; fix the cause, then \
                        `sluice incidents redrive \(progress.incidentId ?? "ID")` and the job carries on.
                        """)
                case "failed":
                    if tty && !json { FileHandle.standardError.write(Data("\n".utf8)) }
                    if json { try HTTPJSON.print(Outcome(progress: progress, artifacts: [])) }
                    throw CLIError(code: ExitCodes.jobFailed, message: "job \(jobId) failed: \(progress.failureReason ?? "unknown reason")")
                default: break
                }
            }
            // Often enough that the wait adds little to a job of a few seconds; one small GET.
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLIError(code: ExitCodes.unavailable, message: "job \(jobId) did not finish within the timeout; check `sluice jobs show \(jobId)`"
                       + (unreachable.map { " (last error: \($0.message))" } ?? ""))
    }

    struct Outcome: Encodable { var progress: JobProgress; var artifacts: [ArtifactRef] }

    static func describe(_ p: JobProgress) -> String {
        let total = p.chunksTotal.map(String.init) ?? "?"
        let width = 20
        let fraction = p.chunksTotal.map { $0 == 0 ? 1.0 : Double(p.chunksTransformed) / Double($0) } ?? 0
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        return "\(p.state.padding(toLength: 10, withPad: " ", startingAt: 0)) [\(bar)] chunks \(p.chunksTransformed)/\(total)"
            + "  rows valid \(p.rowsValid) invalid \(p.rowsInvalid)"
    }
}
