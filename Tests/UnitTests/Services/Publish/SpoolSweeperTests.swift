import Foundation
@testable import PublishService
import Testing

@Suite("Publish: spool sweeping")
struct SpoolSweeperTests {
    @Test func onlyOldFilesGo() throws {
        let directory = NSTemporaryDirectory() + "sluice-spool-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        FileManager.default.createFile(atPath: directory + "/artifact-old", contents: Data([1]))
        FileManager.default.createFile(atPath: directory + "/artifact-new", contents: Data([2]))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7 * 3600)],
                                              ofItemAtPath: directory + "/artifact-old")
        #expect(SpoolSweeper.sweep(directory, olderThan: 6 * 3600) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["artifact-new"])
        #expect(SpoolSweeper.sweep(directory + "/missing", olderThan: 0) == 0)
    }
}
