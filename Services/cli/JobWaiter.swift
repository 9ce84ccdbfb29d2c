import APIModels
import Contracts
import Foundation
import Outbound
import Toolkit

/// Follows a job through the gateway until it ends: its live event stream
/// (`GET /api/v1/jobs/{id}/stream`, Server-Sent Events), or, if the stream cannot be had or
/// breaks off, by asking for the job (`GET /api/v1/jobs/{id}`) every 100 ms.
struct JobWaiter {
    let api: APIClient
    let json: Bool

    private var tty: Bool { isatty(STDERR_FILENO) == 1 }
    private var path: (String) -> String { { "/jobs/" + APIClient.escape($0) } }

    func wait(jobId: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        if try await follow(jobId, until: deadline, last: &last) { return }
        try await poll(jobId, until: deadline, last: &last)
    }

    /// Reads the job's event stream; true once the job ended (and was reported).
    private func follow(_ jobId: String, until deadline: ContinuousClock.Instant, last: inout String) async throws -> Bool {
        let (chunks, continuation) = AsyncStream<[UInt8]>.makeStream()
        let finished = LockedValue(false)
        var headers = ["Accept": "text/event-stream"]
        if let token = api.token { headers["Authorization"] = "Bearer " + token }
        let url = api.baseURL + path(jobId) + "/stream"
        let request = Task {
            defer { continuation.finish() }
            return try await Outbound.stream(url: url, headers: headers, timeout: deadline - ContinuousClock.now) { bytes in
                continuation.yield(bytes)
                return !finished.get()
            }
        }
        var parser = EventStreamParser()
        for await chunk in chunks {
            for event in parser.feed(chunk) where event.name == "job" || event.name == "end" {
                guard let job = try? JSONCoding.decoder().decode(GatewayJob.self, from: Data(event.data.utf8)) else { continue }
                show(job, last: &last)
                if try await conclude(job) {
                    finished.set(true)
                    return true
                }
            }
        }
        // The stream ended without the job's end (an older gateway, a restart, the stream's
        // own time limit): poll from here.
        _ = try? await request.value
        return false
    }

    private func poll(_ jobId: String, until deadline: ContinuousClock.Instant, last: inout String) async throws {
        var unreachable: CLIError?
        while ContinuousClock.now < deadline {
            // A slow or restarting gateway is not the job's fault: keep polling until the wait's
            // own deadline, and report the last error only then.
            let job: GatewayJob
            do {
                job = try await api.get(GatewayJob.self, path(jobId))
                unreachable = nil
            } catch let error as CLIError where error.code == ExitCodes.unavailable {
                unreachable = error
                try await Task.sleep(for: .milliseconds(500))
                continue
            }
            show(job, last: &last)
            if try await conclude(job) { return }
            // Often enough that the wait adds little to a job of a few seconds; one small GET.
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLIError(code: ExitCodes.unavailable, message: "job \(jobId) did not finish within the timeout; check `sluice jobs show \(jobId)`"
                       + (unreachable.map { " (last error: \($0.message))" } ?? ""))
    }

    /// The progress line, when it changed.
    private func show(_ job: GatewayJob, last: inout String) {
        let line = Self.describe(job)
        guard line != last, !json else { return }
        FileHandle.standardError.write(Data(((tty ? "\r\u{1B}[K" : "") + line + (tty ? "" : "\n")).utf8))
        last = line
    }

    /// Reports an ended job (artifacts, or why it did not complete, as an error); false while
    /// it has not ended.
    private func conclude(_ job: GatewayJob) async throws -> Bool {
        let jobId = job.id
        func endLine() { if tty && !json { FileHandle.standardError.write(Data("\n".utf8)) } }
        switch job.state {
        case "completed":
            endLine()
            let list = try await api.get(ArtifactList.self, path(jobId) + "/artifacts")
            if json { try HTTPJSON.print(Outcome(job: job, artifacts: list.artifacts)); return true }
            for artifact in list.artifacts {
                print("  \(artifact.name)  \(artifact.bytes) bytes  \(api.baseURL)\(path(jobId))/artifacts/\(artifact.name)")
            }
            return true
        case "stored", "skipped":
            endLine()
            if json { try HTTPJSON.print(Outcome(job: job, artifacts: [])); return true }
            print(job.state == "skipped"
                ? "  skipped: the input did not change since the dataset's last job (use --force to run it anyway)"
                : "  stored: the input is kept by ingest; run analysis later with --stages analysis-only --from-job \(jobId)")
            return true
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
            return false
        }
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
