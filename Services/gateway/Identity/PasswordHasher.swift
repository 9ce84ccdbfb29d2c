import CArgon2
import Foundation

/// Argon2id password hashes in the PHC string form (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`),
/// which carries its own parameters, so a hash made under older settings still verifies and
/// is recognised as due for a re-hash at the next sign-in.
struct PasswordHasher: Sendable {
    /// Memory in KiB, iterations and lanes. The defaults are OWASP's first recommendation for
    /// Argon2id (19 MiB, 2 iterations, 1 lane).
    var memoryKiB: UInt32 = 19_456
    var iterations: UInt32 = 2
    var parallelism: UInt32 = 1

    static let saltBytes = 16
    static let hashBytes = 32

    /// The encoded hash of `password` with a fresh random salt.
    func hash(_ password: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<Self.saltBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let length = argon2_encodedlen(iterations, memoryKiB, parallelism, UInt32(Self.saltBytes), UInt32(Self.hashBytes),
                                       Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let bytes = Array(password.utf8)
        let result = bytes.withUnsafeBytes { pwd in
            salt.withUnsafeBytes { saltBytes in
                argon2id_hash_encoded(iterations, memoryKiB, parallelism, pwd.baseAddress, pwd.count,
                                      saltBytes.baseAddress, saltBytes.count, Self.hashBytes, &encoded, length)
            }
        }
        guard result == ARGON2_OK.rawValue else {
            throw PasswordHashError(message: String(cString: argon2_error_message(result)))
        }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether `password` matches `encoded` (constant time inside libargon2).
    func verify(_ password: String, against encoded: String) -> Bool {
        guard encoded.hasPrefix("$argon2id$") else { return false }
        let bytes = Array(password.utf8)
        return bytes.withUnsafeBytes { pwd in
            argon2id_verify(encoded, pwd.baseAddress, pwd.count) == ARGON2_OK.rawValue
        }
    }

    /// Whether `encoded` was made with other parameters than these (re-hash it at sign-in).
    func needsRehash(_ encoded: String) -> Bool {
        !encoded.hasPrefix("$argon2id$v=19$m=\(memoryKiB),t=\(iterations),p=\(parallelism)$")
    }
}

struct PasswordHashError: Error, CustomStringConvertible {
    let message: String
    var description: String { "argon2: \(message)" }
}

