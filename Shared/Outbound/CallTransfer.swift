import CCurl
import Foundation

/// One call in flight on the ``CallEngine``: its libcurl handle, header lists and buffers,
/// and the continuation that gets the answer. Touched only by the engine's thread once
/// submitted.
final class CallTransfer: @unchecked Sendable {
    let id: Int
    let method: String
    let url: String
    let headers: [String: String]
    let body: String?
    let policy: AddressPolicy
    let timeout: Duration
    let maxBytes: Int
    var continuation: CheckedContinuation<CallAnswer, any Error>?

    private(set) var handle: UnsafeMutableRawPointer?
    private var resolve: UnsafeMutablePointer<curl_slist>?
    private var list: UnsafeMutablePointer<curl_slist>?
    var received: [UInt8] = []
    var retryAfter: String?
    var exceeded = false

    init(id: Int, method: String, url: String, headers: [String: String], body: String?, policy: AddressPolicy,
         timeout: Duration, maxBytes: Int) {
        self.id = id
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.policy = policy
        self.timeout = timeout
        self.maxBytes = maxBytes
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
        curl_slist_free_all(resolve)
        curl_slist_free_all(list)
    }

    /// Builds the handle, pinned to `address` (already checked against the policy).
    func prepare(target: FetchTarget, address: String) throws {
        guard let handle = curl_easy_init() else {
            throw OutboundError(code: "call.init-failed", message: "curl_easy_init failed", transient: true)
        }
        self.handle = handle
        resolve = target.pin(handle, to: address, timeout: timeout, userAgent: "sluice-call")
        for line in ["Expect:", "Accept: application/json"] + (body == nil ? [] : ["Content-Type: application/json"])
            + headers.sorted(by: { $0.key < $1.key }).map({ "\($0.key): \($0.value)" }) {
            list = curl_slist_append(list, line)
        }
        _ = sluice_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        if method == "GET" {
            _ = sluice_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        } else {
            if method != "POST" { _ = sluice_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method) }
            if body != nil || method == "POST" {
                let bytes = body ?? ""
                _ = sluice_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, bytes.utf8.count)
                _ = sluice_curl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, bytes)  // copied: nothing to keep alive
            }
        }
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = sluice_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            guard let data, let user else { return 0 }
            let transfer = Unmanaged<CallTransfer>.fromOpaque(user).takeUnretainedValue()
            let n = size * count
            if transfer.received.count + n > transfer.maxBytes { transfer.exceeded = true; return 0 }
            data.withMemoryRebound(to: UInt8.self, capacity: n) { transfer.received.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
            return n
        }
        _ = sluice_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        _ = sluice_curl_setopt_write(handle, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            guard let data, let user else { return 0 }
            let transfer = Unmanaged<CallTransfer>.fromOpaque(user).takeUnretainedValue()
            let n = size * count
            let line = data.withMemoryRebound(to: UInt8.self, capacity: n) {
                String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
            }
            if line.lowercased().hasPrefix("retry-after:") {
                transfer.retryAfter = String(line.dropFirst("retry-after:".count)).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return n
        }
        _ = sluice_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, me)
    }

    /// The outcome once libcurl is done with the transfer.
    func outcome(_ code: CURLcode) -> Result<CallAnswer, any Error> {
        if exceeded {
            return .failure(OutboundError(code: "call.too-large", message:
                "\(method) \(url): the answer is larger than \(maxBytes) bytes", transient: false))
        }
        guard code == CURLE_OK else {
            let text = String(cString: curl_easy_strerror(code))
            return .failure(OutboundError(code: code == CURLE_OPERATION_TIMEDOUT ? "call.timeout" : "call.transport",
                                          message: "\(method) \(url): \(text)", transient: true))
        }
        var status = 0
        _ = sluice_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(CallAnswer(status: status, body: received, retryAfter: retryAfter))
    }
}
