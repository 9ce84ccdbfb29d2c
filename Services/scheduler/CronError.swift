/// Why a cron expression was rejected.
///
/// Schedules are typed by people into job definitions, so every case names the field
/// and the offending text, and `message` says how to fix it. `code` is stable for API
/// clients and metrics; the message wording may improve over time.
public enum CronError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The expression does not have exactly five whitespace-separated fields.
    case fieldCount(expression: String, found: Int)
    /// A number lies outside the field's allowed range.
    case outOfRange(field: String, value: Int, allowed: ClosedRange<Int>)
    /// A field is malformed; `reason` explains what was expected.
    case syntax(field: String, text: String, reason: String)
    /// An `@` macro that Sluice does not run, such as `@reboot`, or an unknown one.
    case unsupportedMacro(String)

    /// A stable machine-readable identifier, safe to match on and to store.
    public var code: String {
        switch self {
        case .fieldCount: "cron.field-count"
        case .outOfRange: "cron.out-of-range"
        case .syntax: "cron.syntax"
        case .unsupportedMacro: "cron.unsupported-macro"
        }
    }

    /// A sentence a person can act on, naming the field and value at fault.
    public var message: String {
        switch self {
        case .fieldCount(let expression, let found):
            "The cron expression \"\(expression)\" has \(found) field\(found == 1 ? "" : "s"); "
                + "expected 5: minute hour day-of-month month day-of-week (e.g. \"0 2 * * *\"). "
                + "Seconds and year fields are not supported."
        case .outOfRange(let field, let value, let allowed):
            "The \(field) value \(value) is out of range; use \(allowed.lowerBound)-\(allowed.upperBound)."
        case .syntax(let field, let text, let reason):
            "The \(field) field \"\(text)\" is not valid: \(reason)."
        case .unsupportedMacro(let macro) where macro.lowercased() == "@reboot":
            "\"@reboot\" is not supported: Sluice jobs run on a clock, not on service start. "
                + "Use a time-based schedule such as \"@hourly\" instead."
        case .unsupportedMacro(let macro):
            "\"\(macro)\" is not a known macro; use one of @yearly, @annually, @monthly, "
                + "@weekly, @daily, @midnight or @hourly, or five cron fields."
        }
    }

    /// The code and message together, as they should appear in logs.
    public var description: String { "\(code): \(message)" }
}
