import CCurl
import Crypto
import Foundation
import Toolkit

/// One signed S3 request, performed with a libcurl easy handle on the calling thread.
struct S3Request: Sendable {
    enum Body: Sendable {
        case none
        case bytes([UInt8])
        /// `length` bytes of a file from `offset` (a whole file, or one part of a multipart
        /// upload), streamed from disk; the payload unsigned: hashing it would read it twice.
        case file(String, offset: Int, length: Int)
    }

    var method: String
    /// The object, or nil for the bucket itself.
    var key: ObjectKey?
    /// Query parameters; sorted and encoded here (libcurl 7.x signs the query as written).
    var query: [(String, String)] = []
    var headers: [String] = []
    var body: Body = .none

    init(method: String, key: ObjectKey?, query: [(String, String)] = [], body: Body = .none) {
        self.method = method
        self.key = key
        self.query = query
        self.body = body
    }

    func url(_ config: S3Config) -> String {
        var url = config.endpoint + "/" + PercentEncoding.encode(config.bucket)
        if let key { url += "/" + PercentEncoding.encode(key.value, keepingSlashes: true) }
        if !query.isEmpty {
            url += "?" + query.map { (PercentEncoding.encode($0.0), PercentEncoding.encode($0.1)) }
                .sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        }
        return url
    }

    static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    func perform(_ config: S3Config) throws(ObjectStoreError) -> S3Response {
        guard let handle = curl_easy_init() else { throw ObjectStoreError(.unavailable, key: key?.value, "curl_easy_init failed") }
        defer { curl_easy_cleanup(handle) }
        var lines = headers
        var file: UnsafeMutablePointer<FILE>?
        defer { if let file { fclose(file) } }
        var payload: [UInt8] = []
        switch body {
        case .none:
            lines.append("x-amz-content-sha256: \(Self.emptySHA256)")
        case .bytes(let bytes):
            payload = bytes
            lines.append("x-amz-content-sha256: \(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())")
        case .file(let path, let offset, _):
            guard let opened = fopen(path, "rb") else {
                throw ObjectStoreError(.unavailable, key: key?.value, "cannot open \(path) to upload it")
            }
            file = opened
            if offset > 0, fseeko(opened, off_t(offset), SEEK_SET) != 0 {
                throw ObjectStoreError(.unavailable, key: key?.value, "cannot seek to byte \(offset) of \(path)")
            }
            lines.append("x-amz-content-sha256: UNSIGNED-PAYLOAD")
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = curl_slist_append(list, line) }
        defer { curl_slist_free_all(list) }
        let sink = S3Response.Sink()
        let sinkPointer = Unmanaged.passRetained(sink)
        defer { sinkPointer.release() }
        let headerSink = S3Response.Sink()  // for the ETag of an uploaded part
        let headerPointer = Unmanaged.passRetained(headerSink)
        defer { headerPointer.release() }
        let parts = config.timeout.components
        let milliseconds = max(1, Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000))
        return try payload.withUnsafeBufferPointer { (buffer) throws(ObjectStoreError) -> S3Response in
            _ = sluice_curl_setopt_string(handle, CURLOPT_URL, url(config))
            _ = sluice_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
            _ = sluice_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            _ = sluice_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds)
            _ = sluice_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, min(milliseconds, 5000))
            _ = sluice_curl_setopt_string(handle, CURLOPT_AWS_SIGV4, "aws:amz:\(config.region):s3")
            _ = sluice_curl_setopt_string(handle, CURLOPT_USERPWD, "\(config.accessKey):\(config.secretKey)")
            switch (method, body) {
            case ("HEAD", _):
                _ = sluice_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
            case ("GET", _):
                _ = sluice_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
            case (_, .file(_, _, let length)):
                _ = sluice_curl_setopt_long(handle, CURLOPT_UPLOAD, 1)
                _ = sluice_curl_setopt_pointer(handle, CURLOPT_READDATA, UnsafeMutableRawPointer(file))
                _ = sluice_curl_setopt_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(length))
            case (_, .bytes):
                _ = sluice_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
                _ = sluice_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS,
                                               UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!))
                _ = sluice_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(buffer.count))
            default:
                _ = sluice_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)
            }
            _ = sluice_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
            _ = sluice_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION, collectIntoSink)
            _ = sluice_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer.toOpaque())
            _ = sluice_curl_setopt_write(handle, CURLOPT_HEADERFUNCTION, collectIntoSink)
            _ = sluice_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, headerPointer.toOpaque())
            let code = curl_easy_perform(handle)
            guard code == CURLE_OK else {
                throw ObjectStoreError(.unavailable, key: key?.value,
                                       "\(method) \(config.endpoint)/\(config.bucket): \(String(cString: curl_easy_strerror(code)))")
            }
            var status = 0
            _ = sluice_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            var length: curl_off_t = -1
            _ = sluice_curl_getinfo_offset(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length)
            return S3Response(status: status, body: sink.bytes, contentLength: Int(length),
                              etag: S3Response.header("etag", in: headerSink.bytes))
        }
    }
}

/// libcurl's write and header callback: appends what it hands over to the `S3Response.Sink`
/// behind `user` (bodies and headers alike).
private func collectIntoSink(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                             _ user: UnsafeMutableRawPointer?) -> Int {
    guard let data, let user else { return 0 }
    let n = size * count
    let sink = Unmanaged<S3Response.Sink>.fromOpaque(user).takeUnretainedValue()
    data.withMemoryRebound(to: UInt8.self, capacity: n) { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
    return n
}
