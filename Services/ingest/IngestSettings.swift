import Contracts
import Foundation
import Hosting
import ObjectStorage
import Outbound
import Runtime

/// Ingest's own settings (`ingest.*` keys).
struct IngestSettings: Sendable {
    /// Directories a `path` source may be read from; anything resolving outside is refused.
    var roots: [String]
    /// Records per chunk unless the job says otherwise.
    var defaultChunkSize: Int
    /// Largest chunk size a job may ask for.
    var maxChunkSize: Int
    /// A chunk is cut at this many bytes of cell text even before it has its rows, so a
    /// chunk of wide rows stays small enough to hold in memory a few at a time.
    var maxChunkBytes: Int
    /// Largest source accepted, in bytes.
    var maxSourceBytes: Int
    /// Chunks handed to the publisher per confirm wait.
    var publishBatch: Int
    /// Networks a URL source may reach although they are not public (`ingest.fetch.allow`).
    var fetchPolicy: AddressPolicy
    /// Size, time and redirect caps on URL sources.
    var fetchLimits: FetchLimits
    /// Largest upload accepted by `POST /uploads`, in bytes.
    var maxUploadBytes: Int
    /// Most rows and columns a source may have, and the longest field.
    var limits: SourceLimits
    /// The S3-compatible service `s3://bucket/key` sources are read from (`storage.s3.*`).
    var s3: S3Config

    init(values: ConfigValues) throws {
        let cwd = FileManager.default.currentDirectoryPath
        roots = values.list("ingest.roots", [cwd]).map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: cwd)).standardizedFileURL.path }
        defaultChunkSize = try values.int("ingest.chunk.size", 16_384)
        maxChunkSize = try values.int("ingest.chunk.max", 1_048_576)
        maxChunkBytes = try values.int("ingest.chunk.bytes", 4 << 20)
        maxSourceBytes = try values.int("ingest.max.bytes", 2 << 30)
        publishBatch = try values.int("ingest.publish.batch", 2)
        fetchPolicy = try AddressPolicy(listed: values.list("ingest.fetch.allow", [])) {
            SluiceError.permanent("config.invalid-network", "ingest.fetch.allow: '\($0)' is not an IP address or CIDR network such as 10.0.0.0/8")
        }
        fetchLimits = FetchLimits(maxBytes: try values.int("ingest.fetch.max.bytes", maxSourceBytes),
                                  timeout: .milliseconds(try values.int("ingest.fetch.timeout.ms", 300_000)),
                                  maxRedirects: try values.int("ingest.fetch.redirects", 5))
        maxUploadBytes = try values.int("ingest.upload.max.bytes", maxSourceBytes)
        limits = SourceLimits(maxRows: try values.int("ingest.max.rows", 50_000_000),
                              maxColumns: try values.int("ingest.max.columns", 1000),
                              maxFieldBytes: try values.int("ingest.max.field.bytes", 16 << 20))
        s3 = try RuntimeConfig.s3(values)
    }
}
