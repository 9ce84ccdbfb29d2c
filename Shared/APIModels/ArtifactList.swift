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
