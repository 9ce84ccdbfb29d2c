/// The set of values one cron field allows, as a bit set.
///
/// Every field's range fits in 64 bits (minutes 0-59 is the widest), so membership and
/// "next allowed value at or after x" are a mask and a trailing-zero count. That is
/// what lets the schedule search jump straight to the next candidate instead of
/// stepping minute by minute.
struct CronFieldSet: Sendable, Hashable {
    /// Bit `n` is set when value `n` is allowed.
    private(set) var bits: UInt64 = 0

    /// An empty set; fields are built up with `insert(_:)`.
    init() {}

    /// Allows `value`, which must lie in 0...63.
    mutating func insert(_ value: Int) {
        bits |= 1 << UInt64(value)
    }

    /// Disallows `value`, which must lie in 0...63.
    mutating func remove(_ value: Int) {
        bits &= ~(1 << UInt64(value))
    }

    /// Whether `value` is allowed.
    @inline(__always)
    func contains(_ value: Int) -> Bool {
        value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0
    }

    /// The smallest allowed value that is at least `value`, or `nil` if there is none.
    @inline(__always)
    func first(atOrAfter value: Int) -> Int? {
        guard value < 64 else { return nil }
        let masked = value <= 0 ? bits : bits & (~0 << UInt64(value))
        return masked == 0 ? nil : masked.trailingZeroBitCount
    }

    /// Whether every value in `range` is allowed.
    func containsAll(_ range: ClosedRange<Int>) -> Bool {
        range.allSatisfy(contains)
    }

    /// Whether no value is allowed.
    var isEmpty: Bool { bits == 0 }
}

/// Which of the five cron fields is being parsed; carries the per-field rules.
enum CronFieldKind: Int, Sendable, CaseIterable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// The field's name as it appears in error messages.
    var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// The values a person may write; day-of-week allows 7 as a second Sunday.
    var range: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// Where an open-ended step (`a/n`) stops; Sunday is reached as 0, not again as 7.
    var stepEnd: Int {
        self == .dayOfWeek ? 6 : range.upperBound
    }

    /// Three-letter names accepted in place of numbers (case-insensitive).
    var names: [String: Int] {
        switch self {
        case .month:
            ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
             "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]
        case .dayOfWeek:
            ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6]
        case .minute, .hour, .dayOfMonth:
            [:]
        }
    }
}
