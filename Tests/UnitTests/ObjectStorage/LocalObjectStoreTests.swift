import Conformance
import Foundation
import ObjectStorage
import Testing

/// The object-store contract on a local directory, plus what only a directory has.
@Suite("Object store conformance: local directory")
struct LocalObjectStoreTests {
    private static func freshRoot() -> String {
        NSTemporaryDirectory() + "sluice-objects-\(UUID().uuidString)"
    }

    @Test("local directory keeps the contract", arguments: ObjectStoreConformance.allCases)
    func conforms(_ contract: ObjectStoreConformance) async throws {
        let root = Self.freshRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await contract.run(on: LocalObjectStore(root: root), prefix: "t")
    }

    @Test func keysAreCheckedBeforeTheyBecomePaths() {
        for bad in ["", "/abs", "a//b", "a/", "../etc/passwd", "a/../b", ".hidden", "a/.tmp", "sp ace", "é", "a\\b"] {
            #expect(throws: ObjectStoreError.self, "\(bad)") { try ObjectKey(bad) }
        }
        for good in ["a", "jobs/job-1/validated/000001.arrows", "x=1/y+2@3", "a.b/c.d"] {
            #expect(ObjectKey.isValid(good), "\(good)")
        }
    }

    @Test func leftoverTemporariesAreHiddenAndSwept() async throws {
        let root = Self.freshRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = LocalObjectStore(root: root)
        try await store.put(try ObjectKey("jobs/j/a"), bytes: [1])
        // What a crash between write and rename leaves behind.
        FileManager.default.createFile(atPath: root + "/jobs/j/.a.123-1.tmp", contents: Data([9]))
        #expect(try await store.list(prefix: "jobs/").map(\.value) == ["jobs/j/a"])
        #expect(try await store.sweepTemporaries(olderThan: 3600) == 0, "a fresh temporary may still be written")
        #expect(try await store.sweepTemporaries(olderThan: -1) == 1)
        #expect(!FileManager.default.fileExists(atPath: root + "/jobs/j/.a.123-1.tmp"))
        #expect(try await store.get(try ObjectKey("jobs/j/a")) == [1])
    }

    /// Directory entries are read in place (a `dirent` is only as long as its name): listing
    /// and sweeping thousands of short names must not read past the buffer readdir fills.
    @Test func manyShortNamesAreListedAndSwept() async throws {
        let root = Self.freshRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/d", withIntermediateDirectories: true)
        var names = Set<String>()
        for index in 0..<4000 {
            let name = index % 10 == 0 ? "x" : String(index, radix: 36)
            names.insert(name)
            FileManager.default.createFile(atPath: root + "/d/" + name, contents: nil)
        }
        let store = LocalObjectStore(root: root)
        #expect(try await store.list(prefix: "d/").map(\.value) == names.map { "d/" + $0 }.sorted())
        #expect(try await store.sweepTemporaries(olderThan: -1) == 0)
    }

    @Test func aFullOrUnwritableStoreIsTransientOrDenied() async throws {
        // /proc refuses new files: the failure must be a typed store error, not a crash.
        let store = LocalObjectStore(root: "/proc/sluice-cannot-write-here")
        do {
            try await store.put(try ObjectKey("k"), bytes: [1])
            Issue.record("writing under /proc must fail")
        } catch {
            #expect([.unavailable, .denied, .notFound].contains(error.kind), "\(error)")
        }
    }
}
