import CCurl
import Dispatch
import Foundation

/// The outcome of an outbound HTTP request.
public struct HTTPResult: Sendable {
    /// HTTP status code.
    public var status: Int
    /// Response body (capped).
    public var body: [UInt8]
}

/// Errors from outbound HTTP, with stable codes.
public struct OutboundError: Error, Sendable, CustomStringConvertible {
    /// Stable code, e.g. `outbound.timeout`.
    public var code: String
    /// What happened.
    public var message: String
    /// Whether trying again later may succeed (timeouts, DNS, 5xx) or not (refused address,
    /// too large, 4xx).
    public var transient: Bool

    /// Creates an error.
    public init(code: String, message: String, transient: Bool = true) {
        self.code = code
        self.message = message
        self.transient = transient
    }

    public var description: String { "[\(code)] \(message)" }
}

/// A `multipart/form-data` body: text fields, then one file streamed from disk by libcurl
/// (never read into memory whole).
public struct MultipartForm: Sendable {
    /// Text parts: name, value and content type.
    public var fields: [(name: String, value: String, contentType: String)]
    /// The file part's name, the local path read and the file name sent.
    public var file: (name: String, path: String, filename: String)

    /// A form.
    public init(fields: [(name: String, value: String, contentType: String)], file: (name: String, path: String, filename: String)) {
        self.fields = fields
        self.file = file
    }
}

/// Outbound HTTP(S) through libcurl. libcurl blocks, so each request runs on a dispatch
/// thread and the async caller is resumed when it finishes. Only `http` and `https` are
/// allowed and redirects are not followed.
public enum Outbound {
    private static let queue = DispatchQueue(label: "sluice.outbound", attributes: .concurrent)
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// libcurl's global initialization, once, for the other users of libcurl here (SMTP).
    static func initialized() async throws { _ = globalInit }

    /// GETs `url` and returns the response; transport failures throw.
    public static func get(url: String, timeout: Duration = .seconds(10),
                           maxResponseBytes: Int = 1 << 30) async throws -> HTTPResult {
        try await post(url: url, body: [], method: "GET", timeout: timeout, maxResponseBytes: maxResponseBytes)
    }

    /// POSTs `body` to `url` and returns the response; transport failures throw.
    public static func post(url: String, body: [UInt8], contentType: String = "application/json",
                            method: String = "POST", headers: [String: String] = [:], timeout: Duration = .seconds(10),
                            maxResponseBytes: Int = 1 << 20, multipart: MultipartForm? = nil) async throws -> HTTPResult {
        try checkScheme(url)
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result {
                    try perform(url: url, body: body, method: method, contentType: contentType, headers: headers,
                                timeout: timeout, maxResponseBytes: maxResponseBytes, multipart: multipart)
                })
            }
        }
    }

    /// GETs `url` and hands each piece of the body to `onData` as it arrives (a stream of
    /// Server-Sent Events, say) until the server ends it, `onData` returns false, or
    /// `timeout` passes; returns the status (the body keeps only its first 64 KiB, for an
    /// error message).
    public static func stream(url: String, headers: [String: String] = [:], timeout: Duration,
                              onData: @escaping @Sendable ([UInt8]) -> Bool) async throws -> HTTPResult {
        try checkScheme(url)
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result {
                    try perform(url: url, body: [], method: "GET", contentType: "application/json", headers: headers,
                                timeout: timeout, maxResponseBytes: 64 << 10, multipart: nil, onData: onData)
                })
            }
        }
    }

    /// libcurl is initialized, and only http and https are allowed.
    private static func checkScheme(_ url: String) throws {
        _ = globalInit
        guard let scheme = URL(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw OutboundError(code: "outbound.scheme-refused", message: "only http and https URLs are allowed: \(url)")
        }
    }

    private final class Sink {
        var bytes: [UInt8] = []
        let limit: Int
        let onData: (@Sendable ([UInt8]) -> Bool)?
        var stopped = false
        init(limit: Int, onData: (@Sendable ([UInt8]) -> Bool)? = nil) {
            self.limit = limit
            self.onData = onData
        }
    }

    private static func perform(url: String, body: [UInt8], method: String, contentType: String, headers: [String: String],
                                timeout: Duration, maxResponseBytes: Int, multipart: MultipartForm?,
                                onData: (@Sendable ([UInt8]) -> Bool)? = nil) throws -> HTTPResult {
        guard let handle = curl_easy_init() else {
            throw OutboundError(code: "outbound.init-failed", message: "curl_easy_init failed")
        }
        defer { curl_easy_cleanup(handle) }
        var list: UnsafeMutablePointer<curl_slist>?
        let lines = (multipart == nil ? ["Content-Type: \(contentType)"] : []) + ["Expect:"]
        for line in lines + headers.map({ "\($0.key): \($0.value)" }) {
            list = curl_slist_append(list, line)
        }
        defer { curl_slist_free_all(list) }
        let sink = Sink(limit: maxResponseBytes, onData: onData)
        let sinkPointer = Unmanaged.passRetained(sink)
        defer { sinkPointer.release() }
        var mimeToFree: OpaquePointer?
        defer { if let mimeToFree { curl_mime_free(mimeToFree) } }
        let milliseconds = Int(timeout.components.seconds) * 1000 + Int(timeout.components.attoseconds / 1_000_000_000_000_000)
        return try body.withUnsafeBufferPointer { buffer -> HTTPResult in
            _ = sluice_curl_setopt_string(handle, CURLOPT_URL, url)
            _ = sluice_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
            _ = sluice_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
            _ = sluice_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
            _ = sluice_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds)
            _ = sluice_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, min(milliseconds, 5000))
            if let multipart, let mime = curl_mime_init(handle) {
                for field in multipart.fields {
                    let part = curl_mime_addpart(mime)
                    curl_mime_name(part, field.name)
                    curl_mime_data(part, field.value, field.value.utf8.count)
                    curl_mime_type(part, field.contentType)
                }
                let part = curl_mime_addpart(mime)
                curl_mime_name(part, multipart.file.name)
                curl_mime_filedata(part, multipart.file.path)
                curl_mime_filename(part, multipart.file.filename)
                curl_mime_type(part, "application/octet-stream")
                _ = sluice_curl_setopt_pointer(handle, CURLOPT_MIMEPOST, UnsafeMutableRawPointer(mime))
                mimeToFree = mime
            } else if method == "GET" {
                _ = sluice_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
            } else {
                _ = sluice_curl_setopt_long(handle, CURLOPT_POST, 1)
                if method != "POST" { _ = sluice_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method) }
                _ = sluice_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
                _ = sluice_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, buffer.count)
            }
            _ = sluice_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
            _ = sluice_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION) { data, size, count, user in
                guard let data, let user else { return 0 }
                let sink = Unmanaged<Sink>.fromOpaque(user).takeUnretainedValue()
                let n = size * count
                if let onData = sink.onData {
                    let piece = data.withMemoryRebound(to: UInt8.self, capacity: n) { Array(UnsafeBufferPointer(start: $0, count: n)) }
                    if sink.bytes.count < sink.limit { sink.bytes.append(contentsOf: piece.prefix(sink.limit - sink.bytes.count)) }
                    guard onData(piece) else { sink.stopped = true; return 0 }
                    return n
                }
                if sink.bytes.count + n > sink.limit { return 0 }
                data.withMemoryRebound(to: UInt8.self, capacity: n) { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
                return n
            }
            _ = sluice_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer.toOpaque())
            let code = curl_easy_perform(handle)
            guard code == CURLE_OK || (code == CURLE_WRITE_ERROR && sink.stopped) else {
                let text = String(cString: curl_easy_strerror(code))
                throw OutboundError(code: code == CURLE_OPERATION_TIMEDOUT ? "outbound.timeout" : "outbound.transport",
                                    message: "\(method) \(url): \(text)")
            }
            var status = 0
            _ = sluice_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return HTTPResult(status: status, body: sink.bytes)
        }
    }
}
