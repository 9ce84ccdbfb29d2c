import Foundation
import Toolkit

/// The object store in an S3-compatible service, for many machines: AWS S3, SeaweedFS,
/// MinIO, Ceph. Requests are signed with libcurl's built-in AWS Signature V4 (no SDK),
/// path-style, each on a thread of its own (libcurl blocks).
///
/// A PUT is atomic in S3 (an object appears whole or not at all) and durable when it
/// answers, which is the contract. Payloads carry their SHA-256 in the signature, so the
/// server refuses bytes damaged on the way; file uploads are streamed unsigned.
public struct S3ObjectStore: ObjectStore {
    public let config: S3Config

    public init(config: S3Config) { self.config = config }

    public var location: String { "s3:\(config.endpoint)/\(config.bucket)" }
    public var spoolDirectory: String { config.spool }

    public func put(_ key: ObjectKey, bytes: [UInt8]) async throws(ObjectStoreError) {
        let response = try await send(S3Request(method: "PUT", key: key, body: .bytes(bytes)))
        try response.check(key, "store the object", writing: true)
    }

    public func put(_ key: ObjectKey, movingFile path: String) async throws(ObjectStoreError) {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > config.multipartBytes {
            try await putInParts(key, path: path, size: size)
        } else {
            let response = try await send(S3Request(method: "PUT", key: key, body: .file(path, offset: 0, length: size)))
            try response.check(key, "upload the object", writing: true)
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    public func get(_ key: ObjectKey) async throws(ObjectStoreError) -> [UInt8] {
        let response = try await send(S3Request(method: "GET", key: key))
        try response.check(key, "read the object")
        return response.body
    }

    public func get(_ key: ObjectKey, range: Range<Int>) async throws(ObjectStoreError) -> [UInt8] {
        guard !range.isEmpty else { return [] }
        var request = S3Request(method: "GET", key: key)
        request.headers.append("Range: bytes=\(range.lowerBound)-\(range.upperBound - 1)")
        let response = try await send(request)
        if response.status == 416 { return [] }  // the range starts past the end
        try response.check(key, "read the object")
        // A server that ignores ranges answers 200 with everything.
        if response.status == 200 {
            return Array(response.body[min(range.lowerBound, response.body.count)..<min(range.upperBound, response.body.count)])
        }
        return response.body
    }

    public func size(_ key: ObjectKey) async throws(ObjectStoreError) -> Int? {
        let response = try await send(S3Request(method: "HEAD", key: key))
        if response.status == 404 { return nil }
        try response.check(key, "look up the object")
        return max(0, response.contentLength)
    }

    public func list(prefix: String) async throws(ObjectStoreError) -> [ObjectKey] {
        var keys: [ObjectKey] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let response = try await send(S3Request(method: "GET", key: nil, query: query))
            try response.check(nil, "list the objects under \(prefix)")
            let page = S3ListPage(xml: response.body)
            keys += page.keys.compactMap { try? ObjectKey($0) }
            token = page.nextToken
        } while token != nil
        return keys.sorted()
    }

    public func delete(_ key: ObjectKey) async throws(ObjectStoreError) {
        let response = try await send(S3Request(method: "DELETE", key: key))
        if response.status == 404 { return }
        try response.check(key, "delete the object")
    }

    /// Creates the bucket when it does not exist yet (a deployment step, and the tests').
    public func createBucket() async throws(ObjectStoreError) {
        let response = try await send(S3Request(method: "PUT", key: nil, body: .bytes([])))
        if response.status == 409 { return }  // it exists
        try response.check(nil, "create the bucket \(config.bucket)")
    }

    /// A multipart upload: the object appears whole when it is completed, never in part; a
    /// failed upload is aborted so its parts do not linger (and cost) in the bucket.
    private func putInParts(_ key: ObjectKey, path: String, size: Int) async throws(ObjectStoreError) {
        let started = try await send(S3Request(method: "POST", key: key, query: [("uploads", "")], body: .bytes([])))
        try started.check(key, "start a multipart upload", writing: true)
        guard let uploadId = S3ListPage.elements("UploadId", in: String(decoding: started.body, as: UTF8.self)).first else {
            throw ObjectStoreError(.unavailable, key: key.value, "the server started a multipart upload without an UploadId")
        }
        do throws(ObjectStoreError) {
            let partSize = max(config.multipartBytes, (size + 9_999) / 10_000)
            var parts: [String] = []
            var offset = 0
            while offset < size {
                let length = min(partSize, size - offset)
                let number = parts.count + 1
                let response = try await send(S3Request(method: "PUT", key: key, query: [("partNumber", "\(number)"), ("uploadId", uploadId)],
                                                        body: .file(path, offset: offset, length: length)))
                try response.check(key, "upload part \(number)", writing: true)
                guard let etag = response.etag else {
                    throw ObjectStoreError(.unavailable, key: key.value, "part \(number) was stored without an ETag")
                }
                parts.append(etag)
                offset += length
            }
            let list = parts.enumerated().map { "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\(Self.xmlEscaped($0.element))</ETag></Part>" }
            let body = "<CompleteMultipartUpload>" + list.joined() + "</CompleteMultipartUpload>"
            let done = try await send(S3Request(method: "POST", key: key, query: [("uploadId", uploadId)], body: .bytes(Array(body.utf8))))
            try done.check(key, "complete the multipart upload", writing: true)
            // S3 may answer 200 and still fail, with an error document as the body.
            if let code = S3Response.errorCode(done.body) {
                throw ObjectStoreError(code.contains("Quota") ? .full : .unavailable, key: key.value,
                                       "cannot complete the multipart upload: \(code)")
            }
        } catch {
            _ = try? await send(S3Request(method: "DELETE", key: key, query: [("uploadId", uploadId)]))
            throw error
        }
    }

    private static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private func send(_ request: S3Request) async throws(ObjectStoreError) -> S3Response {
        let config = config
        return try await offThread { () throws(ObjectStoreError) in try request.perform(config) }
    }
}
