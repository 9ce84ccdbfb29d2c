import APIModels
import Contracts
import Foundation

/// Follows a job through the gateway (`GET /api/v1/jobs/{id}`) until it ends.
struct JobWaiter {
    let api: APIClient
    let json: Bool

    func wait(jobId: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        let tty = isatty(STDERR_FILENO) == 1
        var last = ""
        var unreachable: CLIError?
        let path = "/jobs/" + APIClient.escape(jobId)
        func endLine() { if tty && !json { FileHandle.standardError.write(Data("\n".utf8)) } }
        while ContinuousClock.now < deadline {
            // A slow or restarting gateway is not the job's fault: keep polling until the wait's
            // own deadline, and report the last error only then.
            let job: GatewayJob
            do {
                job = try await api.get(GatewayJob.self, path)
                unreachable = nil
            } catch let error as CLIError where error.code == ExitCodes.unavailable {
                unreachable = error
                try await Task.sleep(for: .milliseconds(500))
                continue
            }
            let line = Self.describe(job)
            if line != last && !json {
                FileHandle.standardError.write(Data(((tty ? "\r\u{1B}[K" : "") + line + (tty ? "" : "\n")).utf8))
                last = line
            }
            switch job.state {
            case "completed":
                endLine()
                let list = try await api.get(ArtifactList.self, path + "/artifacts")
                if json { return try HTTPJSON.print(Outcome(job: job, artifacts: list.artifacts)) }
                for artifact in list.artifacts {
                    print("  \(artifact.name)  \(artifact.bytes) bytes  \(api.baseURL)\(path)/artifacts/\(artifact.name)")
                }
                return
            case "stored", "skipped":
                endLine()
                if json { return try HTTPJSON.print(Outcome(job: job, artifacts: [])) }
                print(job.state == "skipped"
                    ? "  skipped: the input did not change since the dataset's last job (use --force to run it anyway)"
                    : "  stored: the input is kept by ingest; run analysis later with --stages analysis-only --from-job \(jobId)")
                return
            case "stalled":
                // A message of the job is dead-lettered: waiting longer cannot help.
                endLine()
                if json { try HTTPJSON.print(Outcome(job: job, artifacts: [])) }
                throw CLIError(code: ExitCodes.jobFailed, message: """
                    job \(jobId) stalled: \(job.error ?? "a message was dead-lettered"). \
                    See `sluice incidents show \(job.incidentId ?? "ID")`; fix the cause, then \
                    `sluice incidents redrive \(job.incidentId ?? "ID")` and the job carries on.
                    """)
            case "cancelled":
                endLine()
                if json { try HTTPJSON.print(Outcome(job: job, artifacts: [])) }
                throw CLIError(code: ExitCodes.jobFailed, message: "job \(jobId) was cancelled; nothing of it was published "
                               + "(`sluice jobs events \(jobId)` says who and why)")
            case "failed":
                endLine()
                if json { try HTTPJSON.print(Outcome(job: job, artifacts: [])) }
                throw CLIError(code: ExitCodes.jobFailed, message: "job \(jobId) failed: \(job.error ?? "unknown reason")")
            default:
                break
            }
            // Often enough that the wait adds little to a job of a few seconds; one small GET.
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLIError(code: ExitCodes.unavailable, message: "job \(jobId) did not finish within the timeout; check `sluice jobs show \(jobId)`"
                       + (unreachable.map { " (last error: \($0.message))" } ?? ""))
    }

    struct Outcome: Encodable { var job: GatewayJob; var artifacts: [ArtifactRef] }

    static func describe(_ job: GatewayJob) -> String {
        let total = job.chunks.map(String.init) ?? "?"
        let width = 20
        let fraction = job.chunks.map { $0 == 0 ? 1.0 : Double(job.chunksDone) / Double($0) } ?? 0
        let filled = Int(min(1, fraction) * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let waiting = job.notBefore.map { "  waits until \(APIClient.time($0))" } ?? ""
        return "\(job.state.padding(toLength: 12, withPad: " ", startingAt: 0)) [\(bar)] chunks \(job.chunksDone)/\(total)"
            + "  rows valid \(job.rowsValid.map(String.init) ?? "?") invalid \(job.rowsInvalid.map(String.init) ?? "?")" + waiting
    }
}
