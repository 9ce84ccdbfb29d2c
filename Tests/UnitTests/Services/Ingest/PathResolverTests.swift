import Catalog
@testable import Consuming
import Contracts
import Foundation
@testable import Hosting
@testable import IncidentService
@testable import IngestService
import Messaging
import PostgresNIO
@testable import Runtime
import Tabular
import Testing
@testable import TransformService
@testable import ValidateService

@Suite("Ingest path resolution")
struct PathResolverTests {
    @Test("a path source must resolve inside an ingest root; traversal and symlink escapes are refused")
    func pathResolution() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("root-\(UUID())")
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID()).csv")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("a\n1\n".utf8).write(to: root.appendingPathComponent("in.csv"))
        try Data("a\n1\n".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link.csv"), withDestinationURL: outside)
        #expect(try PathResolver.resolve("in.csv", roots: [root.path]).hasSuffix("/in.csv"))
        for bad in ["../\(outside.lastPathComponent)", "link.csv", outside.path] {
            #expect { try PathResolver.resolve(bad, roots: [root.path]) } throws: {
                ($0 as? SluiceError)?.code == "ingest.path-outside-root"
            }
        }
        #expect { try PathResolver.resolve("missing.csv", roots: [root.path]) } throws: {
            ($0 as? SluiceError)?.code == "ingest.file-not-found"
        }
    }
}
