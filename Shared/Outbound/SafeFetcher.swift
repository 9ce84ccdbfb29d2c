import CCurl
import Dispatch
import Foundation

/// Caps on one fetch.
public struct FetchLimits: Sendable, Hashable {
    /// Largest body accepted, in bytes.
    public var maxBytes: Int
    /// Time allowed for the whole fetch, redirects included.
    public var timeout: Duration
    /// Redirects followed at most (each target is checked like the first URL).
    public var maxRedirects: Int

    /// Creates limits.
    public init(maxBytes: Int = 1 << 30, timeout: Duration = .seconds(300), maxRedirects: Int = 5) {
        self.maxBytes = maxBytes
        self.timeout = timeout
        self.maxRedirects = maxRedirects
    }
}

/// What a fetch brought back.
public struct FetchResult: Sendable, Hashable {
    /// The URL the body came from, after redirects.
    public var finalURL: String
    /// Body size in bytes.
    public var bytes: Int
    /// The response's `Content-Type`, if any.
    public var contentType: String?
}

/// Fetches a URL to a file with server-side request forgery protections:
/// - only `http` and `https`, for the first URL and every redirect;
/// - the host is resolved here and every candidate address is checked against an
///   ``AddressPolicy`` (loopback, private, link-local and reserved ranges refused unless
///   allow-listed); libcurl is then pinned to the checked address (`CURLOPT_RESOLVE`), so a
///   second DNS answer cannot swap in another address (DNS rebinding);
/// - redirects are not followed by libcurl but one by one here, each re-checked;
/// - the body is capped in bytes and the whole fetch in time.
public enum SafeFetcher {
    private static let queue = DispatchQueue(label: "sluice.fetch", attributes: .concurrent)
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Fetches `url` into the file at `path` (created or truncated).
    public static func fetch(_ url: String, to path: String, policy: AddressPolicy,
                             limits: FetchLimits = FetchLimits()) async throws -> FetchResult {
        _ = globalInit
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try run(url, to: path, policy: policy, limits: limits) })
            }
        }
    }

    private static func run(_ url: String, to path: String, policy: AddressPolicy, limits: FetchLimits) throws -> FetchResult {
        let deadline = ContinuousClock.now + limits.timeout
        var current = url
        for _ in 0...limits.maxRedirects {
            let target = try FetchTarget(current)
            let address = try target.resolve(policy: policy)
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw FetchFailure.timeout(url) }
            let response = try perform(target, pinnedTo: address, to: path, limits: limits, timeout: remaining)
            if (300..<400).contains(response.status), let location = response.location {
                current = location
                continue
            }
            guard (200..<300).contains(response.status) else {
                throw OutboundError(code: "fetch.http-status",
                                    message: "GET \(current) answered HTTP \(response.status)",
                                    transient: response.status >= 500 || response.status == 429)
            }
            return FetchResult(finalURL: current, bytes: response.bytes, contentType: response.contentType)
        }
        throw OutboundError(code: "fetch.too-many-redirects",
                            message: "\(url) redirected more than \(limits.maxRedirects) times", transient: false)
    }

    private struct Response { var status: Int; var location: String?; var bytes: Int; var contentType: String? }

    /// Writes the body to a file and counts it; refuses more than the cap.
    private final class FileSink {
        let file: UnsafeMutablePointer<FILE>
        let limit: Int
        var written = 0
        var exceeded = false
        init(file: UnsafeMutablePointer<FILE>, limit: Int) { self.file = file; self.limit = limit }
    }

    private static func perform(_ target: FetchTarget, pinnedTo address: String, to path: String,
                                limits: FetchLimits, timeout: Duration) throws -> Response {
        guard let handle = curl_easy_init() else {
            throw OutboundError(code: "fetch.init-failed", message: "curl_easy_init failed", transient: true)
        }
        defer { curl_easy_cleanup(handle) }
        guard let file = fopen(path, "wb") else {
            throw OutboundError(code: "fetch.file", message: "cannot write \(path)", transient: true)
        }
        defer { fclose(file) }
        let sink = Unmanaged.passRetained(FileSink(file: file, limit: limits.maxBytes))
        defer { sink.release() }
        let resolve = target.pin(handle, to: address, timeout: timeout, userAgent: "sluice-ingest")
        defer { curl_slist_free_all(resolve) }
        _ = sluice_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        _ = sluice_curl_setopt_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(limits.maxBytes))
        _ = sluice_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            guard let data, let user else { return 0 }
            let sink = Unmanaged<FileSink>.fromOpaque(user).takeUnretainedValue()
            let n = size * count
            if sink.written + n > sink.limit { sink.exceeded = true; return 0 }
            sink.written += n
            return fwrite(data, 1, n, sink.file)
        }
        _ = sluice_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, sink.toOpaque())
        let code = curl_easy_perform(handle)
        let state = sink.takeUnretainedValue()
        if state.exceeded || code == CURLE_FILESIZE_EXCEEDED {
            throw OutboundError(code: "fetch.too-large",
                                message: "\(target.url) is larger than the \(limits.maxBytes)-byte limit", transient: false)
        }
        guard code == CURLE_OK else {
            let text = String(cString: curl_easy_strerror(code))
            if code == CURLE_OPERATION_TIMEDOUT { throw FetchFailure.timeout(target.url) }
            throw OutboundError(code: "fetch.transport", message: "GET \(target.url): \(text)", transient: true)
        }
        var status = 0
        _ = sluice_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var location: UnsafeMutablePointer<CChar>?
        _ = sluice_curl_getinfo_string(handle, CURLINFO_REDIRECT_URL, &location)
        var type: UnsafeMutablePointer<CChar>?
        _ = sluice_curl_getinfo_string(handle, CURLINFO_CONTENT_TYPE, &type)
        fflush(file)
        return Response(status: status, location: location.map { String(cString: $0) }, bytes: state.written,
                        contentType: type.map { String(cString: $0) })
    }
}

enum FetchFailure {
    static func timeout(_ url: String) -> OutboundError {
        OutboundError(code: "fetch.timeout", message: "fetching \(url) took longer than the time limit", transient: true)
    }
}
