import Foundation
import ObjectStorage
@testable import PublishService
import Testing

/// Artifacts made in memory wait for the store in memory when small and in a spool file when
/// large; stored all at once, each lands under its content-addressed key.
@Suite("Publish: pending artifacts")
struct ArtifactBatchTests {
    @Test("a report over 1 MiB waits in a spool file with the same bytes and hash; a small one in memory")
    func spoolsLargeReports() throws {
        let spool = NSTemporaryDirectory() + "sluice-pending-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let large = [UInt8](repeating: UInt8(ascii: "x"), count: ArtifactWriter.spoolAbove + 1)
        let pending = try ArtifactWriter.pending(large, jobId: "j", name: "validation.csv", contentType: "text/csv", spool: spool)
        let small = try ArtifactWriter.pending(Array("a,b\n".utf8), jobId: "j", name: "summary.csv", contentType: "text/csv",
                                               spool: spool)
        guard case .file(let path) = pending.content else { Issue.record("a large report stays in memory"); return }
        #expect(FileManager.default.contents(atPath: path).map(Array.init) == large)
        #expect(pending.ref.bytes == large.count && pending.key.value.hasSuffix("/validation.csv"))
        guard case .memory(let bytes) = small.content else { Issue.record("a small report was spooled"); return }
        #expect(bytes == Array("a,b\n".utf8))
        // The same bytes hash the same in memory and spooled.
        let again = try ArtifactWriter.pending(large, jobId: "j", name: "validation.csv", contentType: "text/csv", spool: spool)
        #expect(again.ref.sha256 == pending.ref.sha256)
        pending.discard()
        again.discard()
        #expect(!FileManager.default.fileExists(atPath: path), "a discarded pending artifact leaves no spool file")
    }
}
