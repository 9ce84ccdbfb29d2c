import Contracts
import Foundation
import ObjectStorage
@testable import TestSupport
import Testing

/// The `sluice` binary as a user runs it, against a real pipeline.
@Suite("CLI (real RabbitMQ and PostgreSQL)")
struct CLITests {
    let env = TestEnvironment.self

    @Test("submit (uploaded through the gateway) --wait exits 0 on completed and 1 on failed; jobs show and artifacts get work")
    func submitAndWait() async throws {
        let pipeline = try TestPipeline()
        try await pipeline.start()
        let environment = pipeline.cliEnvironment(token: try await pipeline.adminToken())
        func sluice(_ arguments: [String]) async throws -> (status: Int32, output: String) {
            try await SluiceCLI.run(arguments, environment: environment)
        }
        let examples = env.packageRoot.appendingPathComponent("examples/gradebook")
        let ok = try await sluice(["submit", examples.appendingPathComponent("gradebook.csv").path,
                             "--schema", examples.appendingPathComponent("schema.json").path, "--wait", "--timeout", "60"])
        #expect(ok.status == 0, "\(ok.output)")
        let jobId = try #require(ok.output.split(separator: "\n").first.map(String.init))
        #expect(ok.output.contains("output.csv"))
        let show = try await sluice(["jobs", "show", jobId, "--json"])
        #expect(show.status == 0 && show.output.contains("\"state\" : \"completed\""))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())").path
        let get = try await sluice(["artifacts", "get", jobId, "--out", out])
        #expect(get.status == 0)
        #expect(FileManager.default.contents(atPath: out + "/output.csv")
                == FileManager.default.contents(atPath: examples.appendingPathComponent("expected/output.csv").path))

        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).csv")
        try Data("student_id,name\nS1,Ann\n".utf8).write(to: bad)
        let failed = try await sluice(["submit", bad.path, "--schema", examples.appendingPathComponent("schema.json").path,
                                 "--wait", "--timeout", "60"])
        #expect(failed.status == 1, "\(failed.output)")
        #expect(failed.output.contains("validate.missing-column"))
        let missing = try await sluice(["submit", "/nonexistent.csv"])
        #expect(missing.status == 2)
        await pipeline.stopAll()
    }

    @Test("submit s3://bucket/key reads the object from the S3 service (real SeaweedFS) and publishes it")
    func submitAnS3Object() async throws {
        let s3 = S3ObjectStore(config: S3Config(endpoint: env.s3Endpoint, bucket: env.s3Bucket, accessKey: env.s3AccessKey,
                                                secretKey: env.s3SecretKey, spool: NSTemporaryDirectory()))
        let examples = env.packageRoot.appendingPathComponent("examples/gradebook")
        let key = try ObjectKey("cli-sources/\(UUID().uuidString.lowercased())/gradebook.csv")
        try await s3.put(key, bytes: [UInt8](try Data(contentsOf: examples.appendingPathComponent("gradebook.csv"))))
        let pipeline = try TestPipeline(overrides: ["storage.s3.endpoint": env.s3Endpoint, "storage.s3.access.key": env.s3AccessKey,
                                                    "storage.s3.secret.key": env.s3SecretKey])
        try await pipeline.start()
        let environment = pipeline.cliEnvironment(token: try await pipeline.adminToken())
        func sluice(_ arguments: [String]) async throws -> (status: Int32, output: String) {
            try await SluiceCLI.run(arguments, environment: environment)
        }
        let run = try await sluice(["submit", "s3://\(env.s3Bucket)/\(key.value)",
                                           "--schema", examples.appendingPathComponent("schema.json").path,
                                           "--wait", "--timeout", "60"])
        #expect(run.status == 0, "\(run.output)")
        let jobId = try #require(run.output.split(separator: "\n").first.map(String.init))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cli-s3-\(UUID())").path
        #expect(try await sluice(["artifacts", "get", jobId, "--out", out]).status == 0)
        #expect(FileManager.default.contents(atPath: out + "/output.csv")
                == FileManager.default.contents(atPath: examples.appendingPathComponent("expected/output.csv").path))
        try await s3.delete(key)
        await pipeline.stopAll()
    }
}
