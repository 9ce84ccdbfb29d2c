import Conformance
import Foundation
import ObjectStorage
@testable import TestSupport
import Testing

/// The object-store contract on a real S3-compatible server (SeaweedFS, started by
/// `infra/local`): the same cases the local directory passes.
@Suite("Object store conformance: S3 (real SeaweedFS)")
struct S3ObjectStoreTests {
    static func config(secret: String = TestEnvironment.s3SecretKey, endpoint: String = TestEnvironment.s3Endpoint) -> S3Config {
        S3Config(endpoint: endpoint, bucket: TestEnvironment.s3Bucket, accessKey: TestEnvironment.s3AccessKey,
                 secretKey: secret, spool: NSTemporaryDirectory() + "sluice-s3-spool", timeout: .seconds(30),
                 multipartBytes: 5 << 20)  // the smallest part S3 allows: the 9 MiB conformance file goes in parts
    }

    @Test("S3 keeps the contract", arguments: ObjectStoreConformance.allCases)
    func conforms(_ contract: ObjectStoreConformance) async throws {
        let store = S3ObjectStore(config: Self.config())
        try await store.createBucket()
        let prefix = "t-\(UUID().uuidString.prefix(8).lowercased())"
        try await contract.run(on: store, prefix: prefix)
        try await store.delete(prefix: prefix + "/")
    }

    @Test func aWrongSecretIsDeniedAndAnUnreachableServerUnavailable() async throws {
        let key = try ObjectKey("t-errors/x")
        do {
            try await S3ObjectStore(config: Self.config(secret: "wrong")).put(key, bytes: [1])
            Issue.record("a wrong secret must be refused")
        } catch {
            #expect(error.kind == .denied && !error.isTransient, "\(error)")
        }
        do {
            _ = try await S3ObjectStore(config: Self.config(endpoint: "http://127.0.0.1:1")).get(key)
            Issue.record("nothing listens on port 1")
        } catch {
            #expect(error.kind == .unavailable && error.isTransient, "\(error)")
        }
    }

    @Test("a file above storage.s3.multipart.bytes is uploaded in parts and reads back whole")
    func multipartUpload() async throws {
        let store = S3ObjectStore(config: Self.config())
        try await store.createBucket()
        let key = try ObjectKey("t-multipart/\(UUID().uuidString.lowercased())/big.bin")
        var bytes = [UInt8](repeating: 0, count: (12 << 20) + 12_345)  // three parts, the last short
        for index in stride(from: 0, to: bytes.count, by: 4093) { bytes[index] = UInt8(truncatingIfNeeded: index / 4093) }
        try FileManager.default.createDirectory(atPath: store.spoolDirectory, withIntermediateDirectories: true)
        let path = store.spoolDirectory + "/multipart-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try await store.put(key, movingFile: path)
        #expect(!FileManager.default.fileExists(atPath: path), "the spool file is gone")
        #expect(try await store.size(key) == bytes.count)
        #expect(try await store.get(key) == bytes)
        #expect(try await store.get(key, range: (5 << 20) - 3..<(5 << 20) + 3) == Array(bytes[(5 << 20) - 3..<(5 << 20) + 3]))
        try await store.delete(key)
    }

    @Test func keysWithEveryAllowedCharacterRoundTrip() async throws {
        let store = S3ObjectStore(config: Self.config())
        let key = try ObjectKey("t-chars/a=b+c@d_e-f.g/h")
        try await store.put(key, bytes: [7, 8, 9])
        #expect(try await store.get(key) == [7, 8, 9])
        #expect(try await store.list(prefix: "t-chars/a=b+c@").map(\.value) == [key.value])
        try await store.delete(key)
        #expect(try await store.size(key) == nil)
    }
}
