import CCurl

extension FetchTarget {
    /// Sets on `handle` what every request to an outside address needs, the fetches of URL
    /// sources and the call step's requests alike: the URL, http(s) only, no redirects
    /// followed by libcurl, no proxy from the environment (a proxy would resolve the host
    /// itself and defeat the pin), the time limits, and the pin to `address` (already checked
    /// against the policy) so a second DNS answer cannot swap in another. Returns the
    /// resolve list; the caller frees it after the transfer.
    func pin(_ handle: UnsafeMutableRawPointer, to address: String, timeout: Duration,
             userAgent: String) -> UnsafeMutablePointer<curl_slist>? {
        var resolve: UnsafeMutablePointer<curl_slist>?
        if !isLiteral {
            let pinned = address.contains(":") ? "[\(address)]" : address
            resolve = curl_slist_append(nil, "\(host):\(port):\(pinned)")
        }
        let milliseconds = max(1, Int(timeout / .milliseconds(1)))
        _ = sluice_curl_setopt_string(handle, CURLOPT_URL, url)
        _ = sluice_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = sluice_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        _ = sluice_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        _ = sluice_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = sluice_curl_setopt_string(handle, CURLOPT_PROXY, "")
        _ = sluice_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds)
        _ = sluice_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, min(milliseconds, 10_000))
        _ = sluice_curl_setopt_slist(handle, CURLOPT_RESOLVE, resolve)
        _ = sluice_curl_setopt_string(handle, CURLOPT_USERAGENT, userAgent)
        return resolve
    }
}
