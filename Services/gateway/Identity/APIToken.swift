import Crypto
import Foundation

/// The bearer secrets the gateway hands out: a recognisable prefix (`slc_` for API tokens,
/// `slcs_` for sign-in sessions, so secret scanners and people can tell them apart), 32
/// random base62 characters from the system's secure source, and 6 characters of CRC-32 over
/// the rest, so a mistyped or truncated token is refused without a database lookup. Only the
/// SHA-256 of a token is stored: a token is random enough that a slow hash would buy nothing
/// and would put password-hashing cost on every request.
struct APIToken: Sendable, Equatable {
    enum Kind: String, Codable, Sendable {
        case api
        case session

        var prefix: String { self == .api ? "slc_" : "slcs_" }
    }

    /// The whole secret, shown to its owner once.
    let secret: String

    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// A new token of `kind`.
    static func generate(_ kind: Kind) -> APIToken {
        var generator = SystemRandomNumberGenerator()
        let random = String(decoding: (0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] },
                            as: UTF8.self)
        let body = kind.prefix + random
        return APIToken(secret: body + checksum(body))
    }

    /// The kind of a well-formed token (prefix, length, alphabet and checksum all right), or nil.
    static func kind(of secret: String) -> Kind? {
        let kind: Kind = secret.hasPrefix(Kind.session.prefix) ? .session : .api
        guard secret.hasPrefix(kind.prefix), secret.utf8.count == kind.prefix.utf8.count + 38,
              secret.utf8.allSatisfy({ alphabet.contains($0) || $0 == UInt8(ascii: "_") }) else { return nil }
        let body = String(secret.dropLast(6))
        return checksum(body) == String(secret.suffix(6)) ? kind : nil
    }

    /// What is stored and looked up: SHA-256 of the secret, hex.
    static func hash(_ secret: String) -> String {
        hex(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Lower-case hex (on every request: no `String(format:)`).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A hint safe to show in lists: the prefix and the first four random characters.
    static func hint(_ secret: String) -> String {
        let prefix = secret.hasPrefix(Kind.session.prefix) ? Kind.session.prefix : Kind.api.prefix
        return prefix + secret.dropFirst(prefix.count).prefix(4) + "…"
    }

    /// CRC-32 (IEEE) of `text`, as 6 base62 digits.
    static func checksum(_ text: String) -> String {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in text.utf8 {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        var value = crc ^ 0xFFFF_FFFF
        var digits: [UInt8] = []
        for _ in 0..<6 {
            digits.append(alphabet[Int(value % 62)])
            value /= 62
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }
}
