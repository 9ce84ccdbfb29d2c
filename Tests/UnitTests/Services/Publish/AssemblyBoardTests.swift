import Chunks
import Contracts
import Foundation
import ObjectStorage
@testable import PublishService
import Tabular
import Testing

/// The publishing pass run ahead while chunks arrive: in order whatever the arrival order,
/// the same state as a pass run at the end, and given up (so the job is assembled from
/// chunk 0) when a chunk cannot be read.
@Suite("Publish: assembly board")
struct AssemblyBoardTests {
    let root = NSTemporaryDirectory() + "sluice-board-\(UUID().uuidString)"
    var chunks: ChunkStore { ChunkStore(objects: LocalObjectStore(root: root)) }
    let job = JobContext(jobId: "job-board", name: "board.csv", tags: [:])
    let columns = ["id", "score"]

    /// Three chunks; ids repeat across chunks so the dedupe set carries state from one to the next.
    func storedChunks() async throws -> [ChunkEntry] {
        var entries: [ChunkEntry] = []
        for index in 0..<3 {
            let records = (0..<50).map { row in
                Record(line: index * 50 + row + 2, values: [.string("S\((index * 50 + row) % 70)"), .integer(Int64(row))],
                       dedupe: "S\((index * 50 + row) % 70)")
            }
            let ref = try await chunks.writeRecords(records, columns: columns, jobId: job.jobId, stage: .transformed,
                                                    index: index)
            entries.append(ChunkEntry(index: index, columns: columns, data: ref, invalidCount: 1, errors: [],
                                      meta: ChunkMeta()))
        }
        return entries
    }

    @Test func runsAheadInOrderAndMatchesAPassRunAtTheEnd() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let entries = try await storedChunks()
        let board = AssemblyBoard(chunks: chunks, logger: .init(label: "test"))
        await board.offer(entries[1], job: job, spool: root + "/.spool")
        await board.offer(entries[2], job: job, spool: root + "/.spool")
        #expect(await board.state(job.jobId)?.next == 0, "chunk 1 waits for chunk 0")
        await board.offer(entries[0], job: job, spool: root + "/.spool")
        try await Self.waitUntil { await board.state(job.jobId).map { $0.next == 3 && !$0.running } ?? false }
        var ahead = try #require(await board.claim(job.jobId))
        defer { ahead.discard() }
        #expect(ahead.nextChunk == 3, "every chunk was added before the job completed")
        var fresh = Pass(job: job, columns: columns, expectedRows: 150, spool: root + "/.spool")
        defer { fresh.discard() }
        for entry in entries { try await fresh.add(try await entry.load(from: chunks)) }
        try ahead.finishRecords()
        try fresh.finishRecords()
        #expect(ahead.tally.valid == 70 && ahead.tally.deduplicated == 80 && ahead.tally.invalid == 3)
        #expect(ahead.tally.valid == fresh.tally.valid && ahead.tally.deduplicated == fresh.tally.deduplicated)
        #expect(await board.claim(job.jobId) == nil, "a pass is claimed once")
    }

    @Test func aChunkThatCannotBeReadGivesThePassUp() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        var entries = try await storedChunks()
        entries[1].data.sha256 = String(repeating: "0", count: 64)  // not what was written
        let board = AssemblyBoard(chunks: chunks, logger: .init(label: "test"))
        for entry in entries { await board.offer(entry, job: job, spool: root + "/.spool") }
        try await Self.waitUntil { await board.state(job.jobId)?.failed ?? false }
        #expect(await board.claim(job.jobId) == nil, "the publishing handler starts from chunk 0 and meets the error")
        #expect(await board.claim("another-job") == nil)
    }

    @Test func aClaimStopsThePassAtAChunkBoundary() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let entries = try await storedChunks()
        let board = AssemblyBoard(chunks: chunks, logger: .init(label: "test"))
        for entry in entries { await board.offer(entry, job: job, spool: root + "/.spool") }
        // Claimed at once: whatever was done is handed over whole; the claimer adds the rest.
        var pass = try #require(await board.claim(job.jobId))
        defer { pass.discard() }
        for entry in entries[pass.nextChunk...] { try await pass.add(try await entry.load(from: chunks)) }
        try pass.finishRecords()
        #expect(pass.nextChunk == 3 && pass.tally.valid == 70 && pass.tally.deduplicated == 80)
    }

    static func waitUntil(_ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !(await condition()) {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
