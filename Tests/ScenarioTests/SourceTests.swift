import Contracts
import Foundation
import ObjectStorage
import Outbound
@testable import TestSupport
import Testing

/// Issue 10's "ingest reads its input once": sources are stored in the object store while
/// they are parsed, the encoding is decided on the way, and `s3://bucket/key` objects are a
/// source like any other (real RabbitMQ, PostgreSQL and SeaweedFS).
@Suite("Sources read once into the object store (real RabbitMQ, PostgreSQL and S3)")
struct SourceTests {
    let env = TestEnvironment.self

    static func id(_ base: String) -> String { "job-\(base)-\(UUID().uuidString.lowercased().prefix(12))" }
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    var s3Settings: [String: String] {
        ["storage.s3.endpoint": env.s3Endpoint, "storage.s3.access.key": env.s3AccessKey,
         "storage.s3.secret.key": env.s3SecretKey]
    }

    /// The stored input of a job, as ingest serves it.
    static func storedSource(_ pipeline: TestPipeline, _ id: String) async throws -> [UInt8] {
        let result = try await Outbound.get(url: pipeline.url("ingest", "/jobs/\(id)/source"), timeout: .seconds(30))
        #expect(result.status == 200, "the stored input of \(id)")
        return result.body
    }

    @Test("an s3://bucket/key source is read from the S3 service, stored and published; a missing object fails the job by name")
    func s3Source() async throws {
        let s3 = S3ObjectStore(config: S3Config(endpoint: env.s3Endpoint, bucket: env.s3Bucket, accessKey: env.s3AccessKey,
                                                secretKey: env.s3SecretKey, spool: NSTemporaryDirectory()))
        let key = "test-sources/\(UUID().uuidString.lowercased())/grades.csv"
        let rows = (1...3000).map { "S\($0),Student \($0),\(40 + $0 % 60)" }
        let content = "student_id,name,grade\n" + rows.joined(separator: "\n") + "\n"
        try await s3.put(try ObjectKey(key), bytes: Array(content.utf8))
        let pipeline = try TestPipeline(overrides: s3Settings)  // the object store itself stays a directory
        try await pipeline.start()
        let id = Self.id("s3")
        try await pipeline.submit(JobSubmit(jobId: id, idempotencyKey: id, source: .url("s3://\(env.s3Bucket)/\(key)"),
                                            chunkSize: 1000))
        let end = try await pipeline.waitForEnd(id, timeout: .seconds(90))
        #expect(end.state == "published", "\(end.failureReason ?? "")")
        #expect(Self.text(try await pipeline.artifact(id, "output.csv")) == content)
        #expect(try await Self.storedSource(pipeline, id) == Array(content.utf8), "the input is kept, byte for byte")

        let missing = Self.id("s3-missing")
        try await pipeline.submit(JobSubmit(jobId: missing, idempotencyKey: missing,
                                            source: .url("s3://\(env.s3Bucket)/test-sources/none/missing.csv")))
        let failed = try await pipeline.waitForEnd(missing, timeout: .seconds(60))
        #expect(failed.state == "failed")
        #expect(failed.failureReason?.contains("no object s3://\(env.s3Bucket)/test-sources/none/missing.csv") == true,
                "\(failed.failureReason ?? "")")
        try await s3.delete(try ObjectKey(key))
        await pipeline.stopAll()
    }

    @Test("a path source is parsed while it is stored: Windows-1252 decided at its first non-ASCII byte; a UTF-8 file with a broken byte fails by line")
    func encodingsInOnePass() async throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("sluice-sources-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // 3,000 ASCII rows first, so the first non-ASCII byte comes after several chunks were published.
        let ascii = (1...3000).map { "Row \($0),Paris" }.joined(separator: "\n") + "\n"
        let latin: [UInt8] = Array(("name,city\n" + ascii).utf8) + [0x4A, 0x6F, 0x73, 0xE9, 0x2C, 0x5A, 0xFC, 0x72, 0x69, 0x63, 0x68, 0x0A]
        let mixed: [UInt8] = Array(("name,city\nJosé,Zürich\n" + ascii).utf8) + [0x62, 0x61, 0x64, 0xFF, 0x2C, 0x78, 0x0A]
        try Data(latin).write(to: directory.appendingPathComponent("latin.csv"))
        try Data(mixed).write(to: directory.appendingPathComponent("mixed.csv"))
        let pipeline = try TestPipeline(overrides: ["ingest.roots": directory.path])
        try await pipeline.start()
        let latinId = Self.id("latin"), mixedId = Self.id("mixed")
        try await pipeline.submit(JobSubmit(jobId: latinId, idempotencyKey: latinId,
                                            source: .path(directory.appendingPathComponent("latin.csv").path), chunkSize: 500))
        try await pipeline.submit(JobSubmit(jobId: mixedId, idempotencyKey: mixedId,
                                            source: .path(directory.appendingPathComponent("mixed.csv").path), chunkSize: 500))
        #expect(try await pipeline.waitForEnd(latinId, timeout: .seconds(90)).state == "published")
        let broken = try await pipeline.waitForEnd(mixedId, timeout: .seconds(90))
        #expect(broken.state == "failed")
        #expect(broken.failureReason?.contains("line 3003 is not valid UTF-8") == true, "\(broken.failureReason ?? "")")
        #expect(try await Self.storedSource(pipeline, mixedId) == mixed, "a failed job keeps its whole input")

        let latinOut = Self.text(try await pipeline.artifact(latinId, "output.csv"))
        #expect(latinOut.hasSuffix("Row 3000,Paris\nJosé,Zürich\n"), "decoded as Windows-1252: \(latinOut.suffix(60))")
        let latinResults = Self.text(try await pipeline.artifact(latinId, "results.json"))
        #expect(latinResults.contains("windows-1252") && latinResults.contains("not valid UTF-8"))
        #expect(try await Self.storedSource(pipeline, latinId) == latin, "the stored input is the file, byte for byte")

        await pipeline.stopAll()
    }
}
