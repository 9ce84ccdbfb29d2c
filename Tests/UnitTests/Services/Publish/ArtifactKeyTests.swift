@testable import PublishService
import Testing

@Suite("Publish: artifact keys")
struct ArtifactKeyTests {
    /// Content-addressed, so a late upload of an abandoned attempt never replaces the bytes a
    /// committed row names; and the name stays last, for people browsing the store.
    @Test func theKeyHoldsTheContentHash() throws {
        let sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        #expect(try ArtifactWriter.key(jobId: "job-1", name: "output.csv", sha256: sha).value
                == "jobs/job-1/artifacts/0123456789abcdef/output.csv")
        #expect(try ArtifactWriter.key(jobId: "job-1", name: "output.csv", sha256: String(sha.reversed())).value
                != (try ArtifactWriter.key(jobId: "job-1", name: "output.csv", sha256: sha).value))
        #expect(throws: (any Error).self) { try ArtifactWriter.key(jobId: "job-1", name: "../x", sha256: sha) }
    }
}
