import Contracts
import Tabular
/// The built-in functions of the expression language. Names are case-insensitive.
///
/// | function | result |
/// | --- | --- |
/// | `round(x[, digits])` | `x` rounded half away from zero; an integer without `digits` or with `digits <= 0` |
/// | `floor(x)`, `ceil(x)` | the integer below / above `x` |
/// | `abs(x)` | the magnitude of `x`, same type |
/// | `min(a, …)`, `max(a, …)` | the smallest / largest non-null argument (numbers, or all text) |
/// | `upper(s)`, `lower(s)`, `trim(s)` | text case / whitespace trimmed (`trim` never yields null) |
/// | `length(s)` | characters in the text |
/// | `substr(s, start[, len])` | characters from 1-based `start`, up to `len` of them |
/// | `replace(s, find, with)` | every occurrence of `find` replaced (literal text, not a regex) |
/// | `contains(s, t)`, `starts_with(s, t)`, `ends_with(s, t)` | a boolean; case-sensitive |
/// | `coalesce(a, b, …)` | the first non-null argument |
/// | `if(cond, a, b)` | `a` when `cond` is true, else `b` (a null `cond` picks `b`); only one branch is evaluated |
/// | `is_null(x)` | whether `x` is null (never null itself) |
/// | `to_number(x)`, `to_integer(x)` | the number in `x`, or null when there is none; `to_integer` truncates |
/// | `to_string(x)` | the text a CSV cell would show |
/// | `year(d)`, `month(d)`, `day(d)` | a part of an ISO date (`2024-03-01`) or datetime |
/// | `date_diff(unit, a, b)` | `b - a` in whole `'days'`, `'months'` or `'years'` |
/// | `concat(a, …)` | the arguments' text joined; nulls count as empty text |
/// | `today()` | the day the job was submitted (UTC), `2026-12-06`: the same for every chunk and retry |
/// | `run_date()` | the day the job runs for: a schedule's fire date, a backfill's day, `options.runDate`, else `today()` |
///
/// Every function except `coalesce`, `if`, `is_null` and `concat` returns null when an
/// argument it needs is null. Text functions accept numbers and booleans and use their
/// text (`upper(12)` is `"12"`).
public enum ExpressionFunction: String, Sendable, Hashable, CaseIterable {
    /// `round(x[, digits])`.
    case round
    /// `floor(x)`.
    case floor
    /// `ceil(x)`.
    case ceil
    /// `abs(x)`.
    case abs
    /// `min(a, …)`.
    case min
    /// `max(a, …)`.
    case max
    /// `upper(s)`.
    case upper
    /// `lower(s)`.
    case lower
    /// `trim(s)`.
    case trim
    /// `length(s)`.
    case length
    /// `substr(s, start[, len])`.
    case substr
    /// `replace(s, find, with)`.
    case replace
    /// `contains(s, t)`.
    case contains
    /// `starts_with(s, t)`.
    case startsWith = "starts_with"
    /// `ends_with(s, t)`.
    case endsWith = "ends_with"
    /// `coalesce(a, b, …)`.
    case coalesce
    /// `if(cond, a, b)`.
    case conditional = "if"
    /// `is_null(x)`.
    case isNull = "is_null"
    /// `to_number(x)`.
    case toNumber = "to_number"
    /// `to_string(x)`.
    case toString = "to_string"
    /// `to_integer(x)`.
    case toInteger = "to_integer"
    /// `year(d)`.
    case year
    /// `month(d)`.
    case month
    /// `day(d)`.
    case day
    /// `date_diff(unit, a, b)`.
    case dateDiff = "date_diff"
    /// `concat(a, …)`.
    case concat
    case today
    case runDate = "run_date"

    /// The name as written in expressions.
    public var name: String { rawValue }

    /// Finds a function by name, ignoring case.
    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    /// The fewest arguments accepted.
    public var minimumArguments: Int {
        switch self {
        case .round, .floor, .ceil, .abs, .min, .max, .upper, .lower, .trim, .length,
             .coalesce, .isNull, .toNumber, .toString, .toInteger, .year, .month, .day, .concat:
            1
        case .today, .runDate: 0
        case .substr, .contains, .startsWith, .endsWith: 2
        case .replace, .conditional, .dateDiff: 3
        }
    }

    /// The most arguments accepted, or `nil` for any number.
    public var maximumArguments: Int? {
        switch self {
        case .min, .max, .coalesce, .concat: nil
        case .round: 2
        case .substr: 3
        default: minimumArguments
        }
    }

    /// How the function is called, for error messages (`round(x[, digits])`).
    public var signature: String {
        switch self {
        case .round: "round(x[, digits])"
        case .floor, .ceil, .abs: "\(name)(x)"
        case .min, .max, .coalesce, .concat: "\(name)(a, b, ...)"
        case .upper, .lower, .trim, .length: "\(name)(text)"
        case .substr: "substr(text, start[, length])"
        case .replace: "replace(text, find, with)"
        case .contains, .startsWith, .endsWith: "\(name)(text, part)"
        case .conditional: "if(condition, then, else)"
        case .isNull, .toNumber, .toString, .toInteger: "\(name)(value)"
        case .year, .month, .day: "\(name)(date)"
        case .dateDiff: "date_diff(unit, from, to)"
        case .today, .runDate: "\(name)()"
        }
    }

    /// Units `date_diff` understands.
    static let dateUnits: Set<String> = ["days", "months", "years"]

    /// Describes the accepted argument count (`1 or 2 arguments`, `at least 1 argument`).
    var arityDescription: String {
        let plural = { (count: Int) in count == 1 ? "argument" : "arguments" }
        guard let maximum = maximumArguments else {
            return "at least \(minimumArguments) \(plural(minimumArguments))"
        }
        if maximum == minimumArguments { return "\(maximum) \(plural(maximum))" }
        if maximum == minimumArguments + 1 { return "\(minimumArguments) or \(maximum) arguments" }
        return "\(minimumArguments) to \(maximum) arguments"
    }

    /// The closest function name to `name` (edit distance ≤ 2), for "did you mean".
    static func suggestion(for name: String) -> String? {
        Suggestions.closest(to: name.lowercased(), among: allCases.map(\.name))
    }
}
