import Foundation

/// An answer to one call.
public struct CallAnswer: Sendable, Hashable {
    /// The HTTP status.
    public var status: Int
    /// The body (at most the cap).
    public var body: [UInt8]
    /// The `Retry-After` header, if any.
    public var retryAfter: String?
}

extension SafeFetcher {
    /// One request under the same protections as ``fetch(_:to:policy:limits:)`` (http(s)
    /// only, the host resolved and checked against `policy`, libcurl pinned to that address)
    /// but with any method, headers and a JSON body, the answer in memory. Redirects are not
    /// followed: a 3xx is returned as it is. Runs on the ``CallEngine``'s thread; task
    /// cancellation aborts the call at once.
    public static func call(method: String, url: String, headers: [String: String], body: String?,
                            policy: AddressPolicy, timeout: Duration, maxBytes: Int = 1 << 20) async throws -> CallAnswer {
        try await CallEngine.shared.perform(method: method, url: url, headers: headers, body: body, policy: policy,
                                            timeout: timeout, maxBytes: maxBytes)
    }
}
