import Contracts
import Tabular
/// What running a compiled plan over a chunk produced.
public struct PlanResult: Sendable, Hashable, Codable {
    /// The transformed records, in input order, each keeping its source `line`; values are
    /// in `CompiledPlan.outputColumns` order.
    public var records: [Record]
    /// Per-row problems (`cast-error`, `expression-error`, `filter-error`), in row order.
    /// A row can have more than one (a cast set to null, then a failing expression).
    public var errors: [RecordError]
    /// Rows removed because a step could not process them (cast or expression errors with
    /// `onError: drop`, failing filter conditions); each has an entry in `errors`.
    public var dropped: Int
    /// Rows removed by `filter` steps.
    public var filtered: Int
    /// For each record in `records`, the dedupe fingerprint taken at the dedupe step, or
    /// `nil` when the plan has no dedupe step. Equal keys mean duplicates: the job-wide
    /// stage keeps the first record with a key and drops the later ones.
    public var dedupeKeys: [String]?
    /// For each record in `records` made by ``CompiledPlan/run(_:)``, the index of its input
    /// record: the rows to gather a carried column from (``CompiledPlan/carriedColumns``).
    /// Empty for appended records.
    public var sourceRows: [Int] = []

    /// `sourceRows` is where this run's rows came from, not part of a stored result.
    private enum CodingKeys: String, CodingKey { case records, errors, dropped, filtered, dedupeKeys }

    /// Creates a result.
    public init(records: [Record] = [], errors: [RecordError] = [], dropped: Int = 0, filtered: Int = 0,
                dedupeKeys: [String]? = nil) {
        self.records = records
        self.errors = errors
        self.dropped = dropped
        self.filtered = filtered
        self.dedupeKeys = dedupeKeys
    }
}

/// Fingerprints of dedupe columns.
///
/// A key is exact, not a hash, so two rows share a key only if their values are equal:
/// each value is written with a type tag — `n` for null, `b1`/`b0`, `d` and the number
/// (whole numbers as integers, so `1` and `1.0` agree), `s` and the text's UTF-8 length,
/// a colon and the text — and values are joined with `|`. Lengths make the encoding
/// unambiguous whatever the text contains. Text is compared exactly: trim or change case
/// before the dedupe step to ignore such differences. A later stage that keeps millions of
/// keys may hash them.
enum DedupeKey {
    /// The key of `slots` in `row`.
    static func make(_ row: [CellValue], slots: [Int]) -> String {
        var key = ""
        for (position, slot) in slots.enumerated() {
            if position > 0 { key += "|" }
            switch row[slot] {
            case .null: key += "n"
            case .bool(let flag): key += flag ? "b1" : "b0"
            case .integer(let integer): key += "d" + String(integer)
            case .number(let number):
                if number.rounded(.towardZero) == number, number >= -9.2e18, number <= 9.2e18 {
                    key += "d" + String(Int64(number))
                } else {
                    key += "d" + number.description
                }
            case .string(let text): key += "s" + String(text.utf8.count) + ":" + text
            }
        }
        return key
    }

    /// The key of the `number`-th appended record (1-based) that skipped the dedupe step
    /// because its `append` comes after it. It starts with `+`, which no real key does, so
    /// such a record is never taken for a duplicate.
    static func unique(appended number: Int) -> String {
        "+append:\(number)"
    }
}
