import Foundation

/// A URL taken apart and checked before anything connects to it.
struct FetchTarget {
    let url: String
    let host: String
    let port: Int
    /// The host is an IP address literal (nothing to resolve or pin).
    let isLiteral: Bool

    init(_ url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw OutboundError(code: "fetch.bad-url", message: "'\(url)' is not a valid URL", transient: false)
        }
        guard scheme == "http" || scheme == "https" else {
            throw OutboundError(code: "fetch.scheme-refused",
                                message: "only http and https URLs may be fetched, not \(scheme): \(url)", transient: false)
        }
        guard var host = components.host, !host.isEmpty else {
            throw OutboundError(code: "fetch.bad-url", message: "'\(url)' has no host", transient: false)
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if components.user != nil || components.password != nil {
            throw OutboundError(code: "fetch.bad-url", message: "credentials in the URL are not accepted: \(url)",
                                transient: false)
        }
        self.url = url
        self.host = host
        self.port = components.port ?? (scheme == "https" ? 443 : 80)
        self.isLiteral = IPNetwork.parse(host) != nil
    }

    /// Resolves the host and returns the first address the policy permits; refuses when
    /// none is permitted, naming what was found.
    func resolve(policy: AddressPolicy) throws -> String {
        var candidates: [(text: String, bytes: [UInt8])] = []
        if let bytes = IPNetwork.parse(host) {
            candidates = [(host, bytes)]
        } else {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, nil, &hints, &list)
            guard status == 0, let first = list else {
                throw OutboundError(code: "fetch.dns", message: "cannot resolve host '\(host)'", transient: true)
            }
            defer { freeaddrinfo(list) }
            var node: UnsafeMutablePointer<addrinfo>? = first
            while let current = node {
                if let entry = Self.address(of: current.pointee) { candidates.append(entry) }
                node = current.pointee.ai_next
            }
        }
        guard let chosen = candidates.first(where: { policy.permits($0.bytes) }) else {
            let found = candidates.map(\.text).joined(separator: ", ")
            throw OutboundError(code: "fetch.address-refused",
                message: "'\(host)' resolves to \(found), which is loopback, private, link-local or reserved; "
                    + "fetching it is refused (an operator can allow a network: ingest.fetch.allow for sources, call.fetch.allow for call steps)",
                transient: false)
        }
        return chosen.text
    }

    private static func address(of info: addrinfo) -> (String, [UInt8])? {
        guard let sockaddr = info.ai_addr else { return nil }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch info.ai_family {
        case AF_INET:
            var address = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
            return (IPNetwork.string(text), withUnsafeBytes(of: &address) { Array($0) })
        case AF_INET6:
            var address = sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
            inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
            return (IPNetwork.string(text), withUnsafeBytes(of: &address) { Array($0) })
        default:
            return nil
        }
    }
}
