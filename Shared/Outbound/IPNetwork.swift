import Foundation

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `fd00::/8`, `127.0.0.1`), used
/// by ``AddressPolicy`` to decide which resolved addresses a fetch may connect to.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address bytes (4 for IPv4, 16 for IPv6).
    public let bytes: [UInt8]
    /// The prefix length in bits.
    public let prefix: Int

    /// Parses `a.b.c.d[/n]` or an IPv6 address with an optional `/n`; nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let address = parts.first, let bytes = IPNetwork.parse(address) else { return nil }
        let maxPrefix = bytes.count * 8
        let prefix = parts.count == 2 ? Int(parts[1]) : maxPrefix
        guard let prefix, (0...maxPrefix).contains(prefix) else { return nil }
        // An IPv4-mapped IPv6 network (`::ffff:127.0.0.1`) is the IPv4 network it carries, as
        // addresses are compared unmapped.
        let unmapped = IPNetwork.unmapped(bytes)
        if unmapped.count == 4, bytes.count == 16 {
            guard prefix >= 96 else { return nil }
            self.bytes = unmapped
            self.prefix = prefix - 96
        } else {
            self.bytes = bytes
            self.prefix = prefix
        }
    }

    /// The address bytes of a textual IPv4 or IPv6 address, or nil.
    public static func parse(_ address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// Whether `address` (4 or 16 bytes) lies in this network. An IPv4-mapped IPv6 address
    /// (`::ffff:10.0.0.1`) is compared as the IPv4 address it carries.
    public func contains(_ address: [UInt8]) -> Bool {
        let address = IPNetwork.unmapped(address)
        guard address.count == bytes.count else { return false }
        var remaining = prefix
        for index in 0..<bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if address[index] & mask != bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// The text of a NUL-terminated C buffer filled by `inet_ntop`.
    static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// An IPv4-mapped IPv6 address as its 4 IPv4 bytes; anything else unchanged.
    static func unmapped(_ address: [UInt8]) -> [UInt8] {
        if address.count == 16, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF {
            return Array(address[12..<16])
        }
        return address
    }

    public var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var copy = bytes
        _ = inet_ntop(bytes.count == 4 ? AF_INET : AF_INET6, &copy, &text, socklen_t(text.count))
        return IPNetwork.string(text) + "/\(prefix)"
    }
}

/// Which addresses an outbound fetch may reach: public unicast addresses always; loopback,
/// private, link-local, shared, multicast and reserved ranges only when an operator lists
/// them in `allowed` (e.g. a test server on loopback, or an intranet file server).
public struct AddressPolicy: Sendable, Hashable {
    /// Networks allowed even though they are not public.
    public var allowed: [IPNetwork]

    /// Creates a policy.
    public init(allowed: [IPNetwork] = []) { self.allowed = allowed }

    /// A policy allowing the networks listed in configuration (`10.0.0.0/8`, `127.0.0.1`);
    /// throws `invalid` with the first entry that is not an address or network.
    public init(listed: [String], invalid: (String) -> any Error) throws {
        var allowed: [IPNetwork] = []
        for text in listed {
            guard let network = IPNetwork(text) else { throw invalid(text) }
            allowed.append(network)
        }
        self.init(allowed: allowed)
    }

    /// Ranges refused by default: not reachable publicly, or reaching the host itself or
    /// cloud metadata endpoints (`169.254.169.254`).
    public static let refused: [IPNetwork] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
        "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "64:ff9b::/96", "100::/64", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10", "ff00::/8",
    ].compactMap(IPNetwork.init)

    /// Whether a connection to `address` is permitted.
    public func permits(_ address: [UInt8]) -> Bool {
        if allowed.contains(where: { $0.contains(address) }) { return true }
        return !Self.refused.contains(where: { $0.contains(address) })
    }
}
