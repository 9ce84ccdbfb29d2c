import Foundation
import PostgresNIO
import Runtime

/// How many events (failed sign-ins, code requests, wrong codes) lock an account or an
/// address out, and for how long.
struct ThrottlePolicy: Sendable {
    /// Events of one account (by the name or email typed, known or not) within the window.
    var accountFailures: Int
    /// Events from one client address within the window, whatever the account.
    var addressFailures: Int
    var windowSeconds: Int
    /// How long a lock lasts once a limit is reached.
    var lockSeconds: Int
}

/// Throttling kept in the database so every gateway replica counts the same events: failed
/// sign-ins, code requests, wrong codes. Events per key within a window, and a lock once over
/// the limit. `scope` keeps each kind's counts apart.
struct Throttle {
    let runtime: RuntimeContext
    let policy: ThrottlePolicy
    let scope: String

    static func accountKey(_ login: String) -> String { "account:" + login.lowercased() }
    static func addressKey(_ address: String) -> String { "address:" + address }

    private func scoped(_ key: String) -> String { scope + ":" + key }

    /// Seconds until the first of `keys` unlocks, or nil if none is locked.
    func lockedFor(_ keys: [String]) async throws -> Int? {
        let rows = try await runtime.database.query("""
            SELECT ceil(extract(epoch FROM max(locked_until) - now()))::bigint FROM sign_in_failures
            WHERE key = ANY(\(keys.map(scoped))) AND locked_until > now()
            """, logger: runtime.logger)
        for try await (seconds) in rows.decode(Int?.self) {
            if let seconds, seconds > 0 { return seconds }
        }
        return nil
    }

    /// Counts an event against the account and the address; locks whichever reached its limit.
    func record(account: String, address: String) async throws {
        for (key, limit) in [(scoped(account), policy.accountFailures), (scoped(address), policy.addressFailures)] {
            _ = try await runtime.database.query("""
                INSERT INTO sign_in_failures AS f (key, failures, first_at, locked_until)
                VALUES (\(key), 1, now(), CASE WHEN 1 >= \(limit) THEN now() + make_interval(secs => \(policy.lockSeconds)) END)
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN f.first_at < now() - make_interval(secs => \(policy.windowSeconds))
                                    THEN 1 ELSE f.failures + 1 END,
                    first_at = CASE WHEN f.first_at < now() - make_interval(secs => \(policy.windowSeconds))
                                    THEN now() ELSE f.first_at END,
                    locked_until = CASE
                        WHEN (CASE WHEN f.first_at < now() - make_interval(secs => \(policy.windowSeconds))
                                   THEN 1 ELSE f.failures + 1 END) >= \(limit)
                        THEN now() + make_interval(secs => \(policy.lockSeconds)) ELSE f.locked_until END
                """, logger: runtime.logger)
        }
    }

    /// Clears the account's count (not the address's), e.g. after a successful sign-in.
    func clear(account: String) async throws {
        _ = try await runtime.database.query("DELETE FROM sign_in_failures WHERE key = \(scoped(account))",
                                             logger: runtime.logger)
    }
}
