import Contracts

/// The body of `GET /jobs/:id/artifacts`.
public struct ArtifactList: Codable, Sendable {
    /// The job.
    public var jobId: String
    /// Its stored artifacts.
    public var artifacts: [ArtifactRef]

    /// A job's artifact list.
    public init(jobId: String, artifacts: [ArtifactRef]) {
        self.jobId = jobId
        self.artifacts = artifacts
    }
}

/// The answer to ingest's `POST /uploads`: give `uploadId` as `source.uploadId` in `job.submit`.
public struct UploadReceipt: Codable, Sendable {
    /// The stored input's id.
    public var uploadId: String
    /// The file name sent, if any.
    public var filename: String?
    /// Its size.
    public var bytes: Int
    /// Its SHA-256, hex.
    public var sha256: String

    /// A receipt.
    public init(uploadId: String, filename: String?, bytes: Int, sha256: String) {
        self.uploadId = uploadId
        self.filename = filename
        self.bytes = bytes
        self.sha256 = sha256
    }
}
