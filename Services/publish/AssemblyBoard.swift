import Aggregation
import Chunks
import Contracts
import Logging

/// Runs each job's publishing pass ahead, chunk by chunk in order, as `chunk.transformed`
/// messages arrive, instead of starting it only once the last chunk is in: statistics, keys
/// and the spooled outputs are ready when the job completes, and the handler that publishes
/// it only finishes the tail.
///
/// Nothing here is durable and nothing needs to be: the handler that publishes a job claims
/// the pass if this replica has one, and otherwise (another replica, a restart, a failure
/// here) starts from chunk 0; the outputs are the same either way. Passes left unclaimed
/// (their job published by another replica) are discarded after `idleLimit`.
actor AssemblyBoard {
    private struct Entry {
        var pass: Pass?
        var offered: [Int: ChunkEntry] = [:]
        var running: Task<Void, Never>?
        var failed = false
        var claimed = false
        var touched = ContinuousClock.now
    }

    private var entries: [String: Entry] = [:]
    private let chunks: ChunkStore
    private let logger: Logger
    private let idleLimit: Duration
    /// The XLSX output's deflate level (`publish.xlsx.deflate.level`), for every pass.
    let xlsxLevel: Int32
    /// The calculated metrics whose partials the passes collect.
    let metrics: MetricDefinitionCache

    init(chunks: ChunkStore, logger: Logger, idleLimit: Duration = .seconds(900), xlsxLevel: Int32 = 1,
         metrics: MetricDefinitionCache? = nil) {
        self.metrics = metrics ?? MetricDefinitionCache(url: "http://127.0.0.1:8086", authorization: nil, logger: logger)
        self.chunks = chunks
        self.logger = logger
        self.idleLimit = idleLimit
        self.xlsxLevel = xlsxLevel
    }

    /// A chunk of `job` is recorded: run the pass as far as the chunks in order allow.
    func offer(_ chunk: ChunkEntry, job: JobContext, spool: String, definitions: [MetricDefinition] = []) {
        evictIdle()
        var entry = entries[job.jobId] ?? Entry(pass: Pass(job: job, columns: chunk.columns, expectedRows: 0, spool: spool,
                                                                  xlsxLevel: xlsxLevel, definitions: definitions))
        guard !entry.failed, !entry.claimed else { return }
        entry.offered[chunk.index] = chunk
        entry.touched = .now
        entries[job.jobId] = entry
        startIfIdle(job.jobId)
    }

    /// Takes the job's pass for publishing, once the chunk it is working on is done; nil when
    /// there is none (the caller starts from chunk 0).
    func claim(_ jobId: String) async -> Pass? {
        guard entries[jobId] != nil else { return nil }
        entries[jobId]?.claimed = true
        while let running = entries[jobId]?.running { await running.value }
        guard let entry = entries.removeValue(forKey: jobId) else { return nil }
        guard !entry.failed, let pass = entry.pass else {
            entry.pass?.discard()
            return nil
        }
        return pass
    }

    /// How far the job's pass is (the next chunk it needs), whether it gave up, and whether
    /// it is working: for tests and logs.
    func state(_ jobId: String) -> (next: Int, failed: Bool, running: Bool)? {
        entries[jobId].map { ($0.pass?.nextChunk ?? 0, $0.failed, $0.running != nil) }
    }

    private func startIfIdle(_ jobId: String) {
        guard let entry = entries[jobId], entry.running == nil, let pass = entry.pass,
              entry.offered[pass.nextChunk] != nil else { return }
        entries[jobId]?.running = Task { await self.advance(jobId) }
    }

    /// Adds offered chunks in order until the next one has not arrived (or the pass is claimed).
    private func advance(_ jobId: String) async {
        while let next = nextOffered(jobId) {
            // Taken out while it works, so its sets and tables are uniquely owned and grow in
            // place (a copy left in the entry would make every chunk copy them whole).
            guard var pass = entries[jobId]?.pass else { break }
            entries[jobId]?.pass = nil
            do {
                let chunk = try await next.load(from: chunks)
                try await pass.add(chunk)
                entries[jobId]?.pass = pass
                entries[jobId]?.offered[next.index] = nil
            } catch {
                // The publishing handler will redo the pass from chunk 0 and meet the error itself.
                logger.warning("publishing pass ahead stopped; the job will be assembled from its first chunk",
                               metadata: ["job_id": "\(jobId)", "error": "\(error)"])
                pass.discard()
                entries[jobId]?.pass = nil
                entries[jobId]?.failed = true
            }
        }
        entries[jobId]?.running = nil
    }

    /// The chunk the job's pass needs next, if it has arrived and the pass may go on. No copy of
    /// the entry outlives this call: one held across `Pass.add` (a `while let entry = …`
    /// binding) kept a second reference to the pass's job-wide state, and every chunk copied
    /// the dedupe set and the statistics whole: a third of publish's time and most of its memory.
    private func nextOffered(_ jobId: String) -> ChunkEntry? {
        guard let entry = entries[jobId], !entry.claimed, !entry.failed, let index = entry.pass?.nextChunk else { return nil }
        return entry.offered[index]
    }

    /// Discards passes left idle longer than `idleLimit` (their job was published elsewhere).
    func evictIdle() {
        let now = ContinuousClock.now
        for (jobId, entry) in entries where entry.running == nil && now - entry.touched > idleLimit {
            entry.pass?.discard()
            entries[jobId] = nil
        }
    }
}
