import Foundation
import ObjectStorage

/// The contract every ``ObjectStore`` keeps, as executable cases. The unit tests run them on
/// a local directory, the integration tests on the S3-compatible server `infra/local`
/// starts: a stage written against one backend behaves the same on the other.
public enum ObjectStoreConformance: String, CaseIterable, Sendable, CustomStringConvertible {
    case putThenGet
    case putReplaces
    case missingIsNotFound
    case emptyAndLargeObjects
    case rangedRead
    case listByPrefix
    case putMovingFile
    case deleteByPrefix
    case concurrentPutsNeverMix

    public var description: String { rawValue }

    /// Runs the case on `store` with keys under `prefix` (unique per run).
    public func run(on store: any ObjectStore, prefix: String) async throws {
        let p = prefix
        switch self {
        case .putThenGet:
            let key = try ObjectKey(p, "a", "chunk-000001.arrows")
            let bytes = Array("hello, store".utf8)
            try await store.put(key, bytes: bytes)
            try require(try await store.get(key) == bytes, "get returns what put stored")
            try require(try await store.size(key) == bytes.count, "size is the stored length")
        case .putReplaces:
            let key = try ObjectKey(p, "same")
            try await store.put(key, bytes: Array(repeating: 1, count: 1000))
            try await store.put(key, bytes: [2, 2, 2])
            try require(try await store.get(key) == [2, 2, 2], "a second put replaces the object whole")
        case .missingIsNotFound:
            let key = try ObjectKey(p, "never", "written")
            do {
                _ = try await store.get(key)
                throw ConformanceFailure("get of a missing key must fail")
            } catch let error as ObjectStoreError {
                try require(error.kind == .notFound && !error.isTransient, "a missing key is notFound (permanent), got \(error)")
                try require(error.key == key.value, "the error names the key")
            }
            try require(try await store.size(key) == nil, "size of a missing key is nil")
            try await store.delete(key)  // not an error
        case .emptyAndLargeObjects:
            let empty = try ObjectKey(p, "empty")
            try await store.put(empty, bytes: [])
            try require(try await store.get(empty) == [], "an empty object round-trips")
            try require(try await store.size(empty) == 0, "an empty object has size 0")
            let large = try ObjectKey(p, "large")
            let bytes = Self.pattern(9 << 20 + 17)
            try await store.put(large, bytes: bytes)
            try require(try await store.get(large) == bytes, "a 9 MiB object round-trips")
        case .rangedRead:
            let key = try ObjectKey(p, "ranged")
            let bytes = Self.pattern(1 << 20 + 3)
            try await store.put(key, bytes: bytes)
            var joined: [UInt8] = []
            var offset = 0
            while true {
                let piece = try await store.get(key, range: offset..<(offset + 64 << 10))
                if piece.isEmpty { break }
                try require(piece.count <= 64 << 10, "a range read returns at most the range")
                joined += piece
                offset += piece.count
            }
            try require(joined == bytes, "range reads in order reassemble the object")
            try require(try await store.get(key, range: 10..<20) == Array(bytes[10..<20]), "a middle range")
            try require(try await store.get(key, range: bytes.count - 2..<bytes.count + 100) == Array(bytes.suffix(2)),
                        "a range past the end returns what there is")
        case .listByPrefix:
            let keys = try ["jobs/j1/validated/000001", "jobs/j1/validated/000000", "jobs/j1/ingested/000000",
                            "jobs/j10/validated/000000"].map { try ObjectKey(p + "/" + $0) }
            for key in keys { try await store.put(key, bytes: [1]) }
            let validated = try await store.list(prefix: p + "/jobs/j1/validated/")
            try require(validated.map(\.value) == [p + "/jobs/j1/validated/000000", p + "/jobs/j1/validated/000001"],
                        "list returns the keys under the prefix, sorted; got \(validated)")
            let job1 = try await store.list(prefix: p + "/jobs/j1")
            try require(job1.count == 4, "a prefix needs not end at a segment: j1 also matches j10; got \(job1)")
            try require(try await store.list(prefix: p + "/nothing/").isEmpty, "an unknown prefix lists nothing")
        case .putMovingFile:
            let source = NSTemporaryDirectory() + "sluice-spool-\(UUID().uuidString)"
            let bytes = Self.pattern(300_000)
            try Data(bytes).write(to: URL(fileURLWithPath: source))
            let key = try ObjectKey(p, "artifacts", "output.csv")
            try await store.put(key, movingFile: source)
            try require(try await store.get(key) == bytes, "a moved file's bytes are the object")
            try require(!FileManager.default.fileExists(atPath: source), "the spool file is gone")
        case .deleteByPrefix:
            for name in ["x/1", "x/2", "y/1"] { try await store.put(try ObjectKey(p + "/" + name), bytes: [0]) }
            let removed = try await store.delete(prefix: p + "/x/")
            try require(removed == 2, "two objects under x/ removed, got \(removed)")
            try require(try await store.list(prefix: p + "/").map(\.value) == [p + "/y/1"], "only y/1 is left")
        case .concurrentPutsNeverMix:
            let key = try ObjectKey(p, "contended")
            let versions = (0..<6).map { version in [UInt8](repeating: UInt8(version), count: 2 << 20) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for bytes in versions { group.addTask { try await store.put(key, bytes: bytes) } }
                group.addTask {
                    for _ in 0..<10 {
                        guard let read = try? await store.get(key) else { continue }
                        try require(versions.contains(read), "a reader sees one whole version, never a mix or a part")
                    }
                }
                try await group.waitForAll()
            }
            try require(versions.contains(try await store.get(key)), "the final object is one whole version")
        }
    }

    static func pattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
    }
}
