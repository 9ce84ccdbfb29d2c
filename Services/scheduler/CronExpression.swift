import Foundation

/// A parsed five-field (Vixie) cron schedule: when a recurring Sluice job fires.
///
/// Operators already know cron, so job definitions use it rather than a bespoke
/// format. The grammar is Vixie cron's, which is what `crontab(5)` documents:
///
///     ┌ minute (0-59)
///     │ ┌ hour (0-23)
///     │ │ ┌ day of month (1-31)
///     │ │ │ ┌ month (1-12 or JAN-DEC)
///     │ │ │ │ ┌ day of week (0-7 or SUN-SAT; 0 and 7 are Sunday)
///     * * * * *
///
/// Each field is a comma-separated list of `*`, `n`, `a-b`, `*/n`, `a-b/n` or `a/n`
/// (from `a` to the field's maximum in steps of `n`). Names are case-insensitive and
/// work in ranges (`MON-FRI`, `JAN-MAR`). Ranges must run low to high, except that a
/// weekday range may end on Sunday written as `0`/`SUN` (`FRI-SUN` = 5-7). The macros
/// `@yearly`/`@annually`, `@monthly`, `@weekly`, `@daily`/`@midnight` and `@hourly`
/// are accepted; `@reboot` is rejected because Sluice schedules are clock-based.
///
/// Day rule (as in Vixie cron): when both day-of-month and day-of-week are restricted
/// — neither field starts with `*` — a day matches if *either* matches, so
/// `0 0 1,15 * 5` fires on the 1st, the 15th and every Friday. Otherwise both must
/// match, which makes the `*` one irrelevant.
///
/// Use `next(after:in:)` to find fire times.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written (trimmed), for display and storage.
    public let source: String

    let minutes: CronFieldSet
    let hours: CronFieldSet
    let daysOfMonth: CronFieldSet
    let months: CronFieldSet
    /// Days of week with Sunday as 0 (a written 7 is folded into 0).
    let daysOfWeek: CronFieldSet
    /// Whether the day-of-month field was written starting with `*`.
    let dayOfMonthIsWildcard: Bool
    /// Whether the day-of-week field was written starting with `*`.
    let dayOfWeekIsWildcard: Bool
    /// Vixie cron's "wildcard job": the minute or the hour field was written starting with
    /// `*`. Across a daylight-saving change such a job follows real time; any other job is
    /// a fixed-time job (see `next(after:in:)`).
    let followsRealTime: Bool

    /// Parses a five-field expression or a macro such as `@daily`.
    ///
    /// Throws `CronError` naming the field and value at fault, so the message can be
    /// shown as-is to whoever wrote the schedule.
    public init(_ text: String) throws(CronError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)

        if fields.count == 1, let macro = fields.first, macro.hasPrefix("@") {
            guard let expansion = Self.macros[macro.lowercased()] else {
                throw .unsupportedMacro(macro)
            }
            fields = expansion.split(separator: " ").map(String.init)
        }
        guard fields.count == 5 else {
            throw .fieldCount(expression: trimmed, found: fields.count)
        }

        source = trimmed
        minutes = try Self.parseField(fields[0], as: .minute)
        hours = try Self.parseField(fields[1], as: .hour)
        daysOfMonth = try Self.parseField(fields[2], as: .dayOfMonth)
        months = try Self.parseField(fields[3], as: .month)
        daysOfWeek = try Self.parseField(fields[4], as: .dayOfWeek)
        dayOfMonthIsWildcard = fields[2].hasPrefix("*")
        dayOfWeekIsWildcard = fields[4].hasPrefix("*")
        followsRealTime = fields[0].hasPrefix("*") || fields[1].hasPrefix("*")
    }

    /// What each supported macro stands for.
    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    /// The expression as written.
    public var description: String { source }

    /// Whether a calendar day is a fire day, applying the Vixie day rule.
    ///
    /// `weekday` counts from Sunday = 0.
    @inline(__always)
    func matchesDay(dayOfMonth: Int, weekday: Int) -> Bool {
        let domMatches = daysOfMonth.contains(dayOfMonth)
        let dowMatches = daysOfWeek.contains(weekday)
        if !dayOfMonthIsWildcard && !dayOfWeekIsWildcard {
            return domMatches || dowMatches
        }
        return domMatches && dowMatches
    }
}

extension CronExpression: Codable {
    /// Decodes from the expression string, so job configs store `"0 2 * * *"` directly.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes as the expression string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(source)
    }
}
