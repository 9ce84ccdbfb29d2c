import Contracts
import Foundation
import ObjectStorage
@testable import TestSupport
import Testing

/// The `sluice` binary as a user runs it, against a real pipeline.
@Suite("CLI (real RabbitMQ and PostgreSQL)")
struct CLITests {
    let env = TestEnvironment.self

    @Test("submit --wait exits 0 on published and 1 on failed; jobs show and artifacts get work")
    func submitAndWait() async throws {
        let pipeline = try TestPipeline(overrides: ["ingest.roots": "/"])
        try await pipeline.start()
        let common = ["--set", "topology.prefix=\(pipeline.prefix)", "--set", "topology.expires.ms=600000",
                      "--set", "amqp.url=\(env.amqpURL)",
                      "--set", "metrics.url=\(pipeline.url("metrics", ""))", "--set", "publish.url=\(pipeline.url("publish", ""))"]
        let examples = env.packageRoot.appendingPathComponent("examples/gradebook")
        let ok = try await SluiceCLI.run(["submit", examples.appendingPathComponent("gradebook.csv").path,
                             "--schema", examples.appendingPathComponent("schema.json").path, "--wait", "--timeout", "60"] + common)
        #expect(ok.status == 0, "\(ok.output)")
        let jobId = try #require(ok.output.split(separator: "\n").first.map(String.init))
        #expect(ok.output.contains("output.csv"))
        let show = try await SluiceCLI.run(["jobs", "show", jobId, "--json"] + common)
        #expect(show.status == 0 && show.output.contains("\"state\" : \"published\""))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())").path
        let get = try await SluiceCLI.run(["artifacts", "get", jobId, "--out", out] + common)
        #expect(get.status == 0)
        #expect(FileManager.default.contents(atPath: out + "/output.csv")
                == FileManager.default.contents(atPath: examples.appendingPathComponent("expected/output.csv").path))

        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).csv")
        try Data("student_id,name\nS1,Ann\n".utf8).write(to: bad)
        let failed = try await SluiceCLI.run(["submit", bad.path, "--schema", examples.appendingPathComponent("schema.json").path,
                                 "--wait", "--timeout", "60"] + common)
        #expect(failed.status == 1, "\(failed.output)")
        #expect(failed.output.contains("validate.missing-column"))
        let missing = try await SluiceCLI.run(["submit", "/nonexistent.csv"] + common)
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
        let common = ["--set", "topology.prefix=\(pipeline.prefix)", "--set", "topology.expires.ms=600000",
                      "--set", "amqp.url=\(env.amqpURL)",
                      "--set", "metrics.url=\(pipeline.url("metrics", ""))", "--set", "publish.url=\(pipeline.url("publish", ""))"]
        let run = try await SluiceCLI.run(["submit", "s3://\(env.s3Bucket)/\(key.value)",
                                           "--schema", examples.appendingPathComponent("schema.json").path,
                                           "--wait", "--timeout", "60"] + common)
        #expect(run.status == 0, "\(run.output)")
        let jobId = try #require(run.output.split(separator: "\n").first.map(String.init))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cli-s3-\(UUID())").path
        #expect(try await SluiceCLI.run(["artifacts", "get", jobId, "--out", out] + common).status == 0)
        #expect(FileManager.default.contents(atPath: out + "/output.csv")
                == FileManager.default.contents(atPath: examples.appendingPathComponent("expected/output.csv").path))
        try await s3.delete(key)
        await pipeline.stopAll()
    }
}
