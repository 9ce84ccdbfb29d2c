import Foundation
import ServiceRuntime

/// Ingest's own settings (`ingest.*` keys).
struct IngestSettings: Sendable {
    /// Directories a `path` source may be read from; anything resolving outside is refused.
    var roots: [String]
    /// Records per chunk unless the job says otherwise.
    var defaultChunkSize: Int
    /// Largest chunk size a job may ask for.
    var maxChunkSize: Int
    /// Largest source accepted, in bytes.
    var maxSourceBytes: Int
    /// Chunks handed to the publisher per confirm wait.
    var publishBatch: Int

    init(values: ConfigValues) throws {
        let cwd = FileManager.default.currentDirectoryPath
        roots = values.list("ingest.roots", [cwd]).map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: cwd)).standardizedFileURL.path }
        defaultChunkSize = try values.int("ingest.chunk.size", 1000)
        maxChunkSize = try values.int("ingest.chunk.max", 10_000)
        maxSourceBytes = try values.int("ingest.max.bytes", 2 << 30)
        publishBatch = try values.int("ingest.publish.batch", 32)
    }
}
