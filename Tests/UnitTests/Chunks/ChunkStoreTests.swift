import Chunks
import Contracts
import Foundation
import ObjectStorage
import Testing

/// The claim check: deterministic keys, checksums verified on read, and the store's
/// failures sorted into transient and permanent as the dispatcher needs them.
@Suite("Chunk store")
struct ChunkStoreTests {
    private func store() -> (ChunkStore, String) {
        let root = NSTemporaryDirectory() + "sluice-chunks-\(UUID().uuidString)"
        return (ChunkStore(objects: LocalObjectStore(root: root)), root)
    }

    @Test func keysAreDeterministicAndSafe() {
        #expect(ChunkStore.key(jobId: "job-1", stage: .validated, index: 7) == "jobs/job-1/validated/000007.arrows")
        #expect(ChunkStore.key(jobId: "job-1", stage: .ingested, index: 1_234_567) == "jobs/job-1/ingested/1234567.arrows")
        let odd = ChunkStore.jobPrefix("../a b/é")
        #expect(odd.hasPrefix("jobs/h-") && odd == ChunkStore.jobPrefix("../a b/é") && ObjectKey.isValid(odd + "x"))
    }

    @Test func writeThenReadChecksTheBytes() async throws {
        let (chunks, root) = store()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let key = ChunkStore.key(jobId: "j", stage: .ingested, index: 0)
        let ref = try await chunks.write([1, 2, 3], key: key, rows: 3)
        #expect(ref.bytes == 3 && ref.rows == 3 && ref.sha256 == "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81")
        #expect(try await chunks.read(ref) == [1, 2, 3])
        #expect(try await chunks.write([1, 2, 3], key: key, rows: 3) == ref, "a redelivery rewrites the same key and bytes")

        // Damaged on disk: a permanent error naming the key.
        try Data([1, 2, 4]).write(to: URL(fileURLWithPath: root + "/" + key))
        await #expect { try await chunks.read(ref) } throws: { error in
            (error as? SluiceError).map { $0.code == "chunk.checksum-mismatch" && $0.disposition == .permanent
                && $0.message.contains(key) } ?? false
        }
        // Gone: permanent too, and a re-drive after restoring it works.
        try FileManager.default.removeItem(atPath: root + "/" + key)
        await #expect { try await chunks.read(ref) } throws: { error in
            (error as? SluiceError).map { $0.code == "chunk.missing" && $0.disposition == .permanent && $0.message.contains(key) } ?? false
        }
        _ = try await chunks.write([1, 2, 3], key: key, rows: 3)
        #expect(try await chunks.read(ref) == [1, 2, 3])
        #expect(try await chunks.deleteJob("j") == 1)
    }

    @Test("a chunk within the inline limit travels in its reference: no object, the same checks on read")
    func inlineChunks() async throws {
        let root = NSTemporaryDirectory() + "sluice-chunks-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let chunks = ChunkStore(objects: LocalObjectStore(root: root), inlineLimit: 4)
        let key = ChunkStore.key(jobId: "j", stage: .ingested, index: 0)
        let ref = try await chunks.write([1, 2, 3], key: key, rows: 3)
        #expect(ref.inline == "AQID" && ref.bytes == 3 && ref.sha256 == "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81")
        #expect(!FileManager.default.fileExists(atPath: root + "/" + key), "nothing is stored")
        #expect(try await chunks.read(ref) == [1, 2, 3])
        #expect(try await chunks.write([1, 2, 3], key: key, rows: 3) == ref, "a redelivery makes the same reference")
        let json = String(decoding: try JSONCoding.encode(ref), as: UTF8.self)
        #expect(json.contains("\"inline\":\"AQID\""))

        // Above the limit: stored, and the reference carries no bytes.
        let big = try await chunks.write([1, 2, 3, 4, 5], key: key, rows: 5)
        #expect(big.inline == nil && FileManager.default.fileExists(atPath: root + "/" + key))
        #expect(!String(decoding: try JSONCoding.encode(big), as: UTF8.self).contains("inline"))

        // Altered in the message: the same permanent errors as a damaged object.
        var altered = ref
        altered.inline = "AQIE"
        await #expect { try await chunks.read(altered) } throws: { error in
            (error as? SluiceError).map { $0.code == "chunk.checksum-mismatch" && $0.message.contains("inline chunk") } ?? false
        }
        altered.inline = "not base64!"
        await #expect { try await chunks.read(altered) } throws: { error in
            (error as? SluiceError)?.code == "chunk.unreadable"
        }
    }

    @Test func anUnwritableStoreIsAStoreFault() async throws {
        let chunks = ChunkStore(objects: LocalObjectStore(root: "/proc/sluice-no"))
        await #expect { _ = try await chunks.write([1], key: "jobs/j/ingested/000000.arrows", rows: 1) } throws: { error in
            guard let error = error as? SluiceError else { return false }
            // /proc refuses the directory: the store is unavailable (transient) or denies us, never "missing".
            return (error.code == "store.unavailable" && error.disposition == .transient) || error.code == "store.denied"
        }
    }
}
