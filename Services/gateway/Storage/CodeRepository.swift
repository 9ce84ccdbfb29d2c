import Crypto
import Foundation
import PostgresNIO
import Runtime

/// One-time codes for email verification and password reset: 8 digits from the system's
/// secure source, stored only as a hash bound to the user and purpose, one live code per user
/// and purpose (a new request replaces the old), single use, expiring, and burned after
/// `maxAttempts` wrong tries.
struct CodeRepository {
    let runtime: RuntimeContext
    static let maxAttempts = 5

    enum Purpose: String, Sendable {
        case verification
        case passwordReset = "password-reset"
    }

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%08d", Int(generator.next(upperBound: UInt32(100_000_000))))
    }

    static func hash(_ code: String, userId: String, purpose: Purpose) -> String {
        APIToken.hex(SHA256.hash(data: Data("\(userId):\(purpose.rawValue):\(code)".utf8)))
    }

    /// Stores a fresh code for the user (replacing any earlier one), inside `connection`'s
    /// transaction.
    func store(_ code: String, userId: String, purpose: Purpose, minutes: Int, on connection: PostgresConnection) async throws {
        _ = try await connection.query("""
            INSERT INTO codes (user_id, purpose, code_hash, expires_at)
            VALUES (\(userId), \(purpose.rawValue), \(Self.hash(code, userId: userId, purpose: purpose)),
                    now() + make_interval(mins => \(minutes)::integer))
            ON CONFLICT (user_id, purpose) DO UPDATE SET code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at,
                used_at = NULL, attempts = 0, created_at = now()
            """, logger: runtime.logger)
    }

    /// Uses the code if it is the user's live one: true once, false for a wrong, expired, used
    /// or burned code (a wrong one counts against the code's attempts). Runs in `connection`'s
    /// transaction, the row locked, so two tries cannot both use it.
    func use(_ code: String, userId: String, purpose: Purpose, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("""
            SELECT code_hash, expires_at > now() AND used_at IS NULL AND attempts < \(Self.maxAttempts)
            FROM codes WHERE user_id = \(userId) AND purpose = \(purpose.rawValue) FOR UPDATE
            """, logger: runtime.logger)
        var found: (String, Bool)?
        for try await row in rows.decode((String, Bool).self) { found = row }
        guard let (stored, live) = found, live else { return false }
        guard stored == Self.hash(code, userId: userId, purpose: purpose) else {
            _ = try await connection.query("""
                UPDATE codes SET attempts = attempts + 1 WHERE user_id = \(userId) AND purpose = \(purpose.rawValue)
                """, logger: runtime.logger)
            return false
        }
        _ = try await connection.query("""
            UPDATE codes SET used_at = now() WHERE user_id = \(userId) AND purpose = \(purpose.rawValue)
            """, logger: runtime.logger)
        return true
    }
}
