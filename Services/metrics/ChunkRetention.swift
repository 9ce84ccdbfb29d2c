import APIModels
import Chunks
import Contracts
import Foundation
import Logging
import ObjectStorage
import Outbound
import Runtime
import Toolkit
import ServiceLifecycle

/// Deletes a finished job's intermediate chunks (`ingested`, `validated`, `transformed`, their
/// error and key chunks) once it has been finished for `retention.chunks.seconds`, unless an
/// incident not yet resolved refers to the job: a re-drive needs the chunks, so they stay
/// until the incident is resolved. A failed job whose failure the incident service has not
/// recorded yet is held too, so a busy incident service never loses a re-drive's chunks.
/// Artifacts are not touched (they are the job's results).
///
/// Metrics runs it because it is the one service that sees every job end, whatever the stage.
/// The incident service answers which jobs are held; when it cannot be asked, nothing is
/// deleted that round.
struct ChunkRetention: Sendable {
    /// `retention.*` settings.
    struct Settings: Sendable {
        /// How long a finished job's chunks stay; `nil` keeps them forever.
        var age: TimeInterval?
        /// How often to look.
        var interval: Duration
        /// The incident service's HTTP API.
        var incidentURL: String
        /// `Authorization: Internal …` for the incident service, when `http.internal.token` is set.
        var internalAuthorization: String?

        init(values: ConfigValues) throws {
            let seconds = try values.int("retention.chunks.seconds", 86_400)
            age = seconds < 0 ? nil : TimeInterval(seconds)
            interval = .seconds(try values.int("retention.interval.seconds", 600))
            incidentURL = values.string("retention.incident.url", "http://127.0.0.1:8088")
            let token = values.string("http.internal.token", "")
            internalAuthorization = token.isEmpty ? nil : "Internal " + token
        }
    }

    let runtime: RuntimeContext
    let settings: Settings

    /// One round: returns the jobs whose chunks were deleted.
    @discardableResult
    func sweep(now: Date = Date()) async throws -> [String] {
        guard let age = settings.age else { return [] }
        let repository = ProgressRepository(runtime: runtime, connection: nil)
        let due = try await repository.retainedChunks(finishedBefore: now.addingTimeInterval(-age), limit: 200)
        guard !due.isEmpty else { return [] }
        let held = try await heldJobs(due)
        var deleted: [String] = []
        for (jobId, _) in due where !held.contains(jobId) {
            for stage in ChunkStore.Stage.allCases {
                try await runtime.objects.delete(prefix: ChunkStore.jobPrefix(jobId) + stage.rawValue + "/")
            }
            try await repository.markChunksDeleted(jobId)
            deleted.append(jobId)
        }
        if !deleted.isEmpty {
            runtime.logger.info("deleted finished jobs' chunks", metadata: ["jobs": "\(deleted.count)", "held": "\(held.count)"])
        } else if !held.isEmpty {
            runtime.logger.debug("chunks held by unresolved incidents", metadata: ["jobs": "\(held.count)"])
        }
        return deleted
    }

    /// The jobs whose chunks stay: those an unresolved incident refers to, and failed jobs
    /// whose failure the incident service has not recorded yet (it may be about to open an
    /// incident for them). Throws when the incident service cannot say.
    private func heldJobs(_ jobs: [(jobId: String, failed: Bool)]) async throws -> Set<String> {
        let query = jobs.map { "job=" + PercentEncoding.encode($0.jobId) }.joined(separator: "&")
        let result = try await Outbound.post(url: settings.incidentURL + "/jobs/held?" + query, body: [], method: "GET",
                                             headers: settings.internalAuthorization.map { ["Authorization": $0] } ?? [:],
                                             timeout: .seconds(10), maxResponseBytes: 64 << 20)
        guard result.status == 200 else {
            throw SluiceError.transient("retention.incident-unavailable",
                                        "the incident service answered \(result.status) at \(settings.incidentURL)/jobs/held")
        }
        return Self.kept(jobs, answer: try JSONCoding.decode(HeldJobs.self, from: result.body))
    }

    /// The rule: held by an unresolved incident, or failed and not yet recorded by the
    /// incident service (an answer without `recorded` holds only the first).
    static func kept(_ jobs: [(jobId: String, failed: Bool)], answer: HeldJobs) -> Set<String> {
        var held = Set(answer.held)
        if let recorded = answer.recorded.map(Set.init) {
            held.formUnion(jobs.filter { $0.failed && !recorded.contains($0.jobId) }.map(\.jobId))
        }
        return held
    }

    /// The loop: a round every `interval` after the first; a failed round is logged and the
    /// next one tries again. It ends on graceful shutdown.
    func loop() -> LoopService {
        LoopService {
            try await runtime.waitUntilReady()
            try? await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    try await Task.sleep(for: settings.interval)
                    do {
                        try await sweep()
                    } catch is CancellationError {
                        return
                    } catch {
                        runtime.logger.warning("chunk retention skipped a round", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }
}
