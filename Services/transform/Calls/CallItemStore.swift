import Foundation
import Plans
import PostgresNIO
import Runtime
import Storage

/// Each call item's outcome, in transform's schema, written as soon as the item is done: a
/// redelivered chunk (a crash, a pause, a rate-limit hold) uses it instead of calling again,
/// so no item is called after it succeeded.
struct CallItemStore: Sendable {
    let runtime: RuntimeContext

    /// One item's stored outcome.
    struct Item: Sendable, Hashable {
        var line: Int
        var succeeded: Bool
        /// The mapped values, as a JSON array in the step's map order (success only).
        var values: String?
        var code: String?
        var error: String?
        var attempts: Int
        var millis: Int
    }

    static let migrations = [
        Migration(2, "call items", ["""
            CREATE TABLE call_items (
                job_id     text NOT NULL,
                step       integer NOT NULL,
                line       bigint NOT NULL,
                succeeded  boolean NOT NULL,
                answer     text,
                code       text,
                error      text,
                attempts   integer NOT NULL,
                millis     integer NOT NULL,
                done_at    timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (job_id, step, line)
            )
            """]),
        Migration(3, "item rate buckets", ["""
            CREATE TABLE item_buckets (
                project    text PRIMARY KEY,
                tokens     double precision NOT NULL,
                updated_at timestamptz NOT NULL
            )
            """]),
    ]

    /// The stored outcomes of `lines` at `step` of `jobId`.
    func load(jobId: String, step: Int, lines: [Int]) async throws -> [Int: Item] {
        var items: [Int: Item] = [:]
        let rows = try await runtime.database.query("""
            SELECT line, succeeded, answer, code, error, attempts, millis FROM call_items
            WHERE job_id = \(jobId) AND step = \(step) AND line = ANY(\(lines.map(Int64.init)))
            """, logger: runtime.logger)
        for try await (line, succeeded, answer, code, error, attempts, millis)
            in rows.decode((Int64, Bool, String?, String?, String?, Int, Int).self) {
            items[Int(line)] = Item(line: Int(line), succeeded: succeeded, values: answer, code: code, error: error,
                                    attempts: attempts, millis: millis)
        }
        return items
    }

    /// Keeps an item's outcome; the first outcome stored wins.
    func save(jobId: String, step: Int, _ item: Item) async throws {
        try await runtime.database.query("""
            INSERT INTO call_items (job_id, step, line, succeeded, answer, code, error, attempts, millis)
            VALUES (\(jobId), \(step), \(Int64(item.line)), \(item.succeeded), \(item.values), \(item.code), \(item.error),
                    \(item.attempts), \(item.millis))
            ON CONFLICT DO NOTHING
            """, logger: runtime.logger)
    }
}
