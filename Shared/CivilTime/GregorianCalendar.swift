/// Proleptic Gregorian calendar arithmetic on plain integers: the one place Sluice turns
/// year, month and day into day counts and back.
///
/// Two day numberings are in use and both are offered here:
///
/// - **Days since 1970-01-01** ("Unix days", negative before it), with Howard Hinnant's
///   `days_from_civil` / `civil_from_days`. These are exact for every `Int` year (floor
///   division throughout), allocation-free and unaffected by locales or daylight-saving
///   quirks, so a schedule search far from today stays exact.
/// - **Python ordinals** (`date.toordinal()`: 0001-01-01 is day 1), which the validation
///   code uses so that frictionless' `datetime` logic can be copied one to one. An ordinal
///   is a Unix day plus ``ordinalOfUnixEpoch``.
///
/// The functions taking a year, month and day do not validate them (call
/// ``isValid(year:month:day:)`` first where that matters); the value types ``CivilDate``
/// and ``TimeOfDay`` are the validated forms. The small functions are `@inlinable`
/// because the validators call them once per cell.
public enum GregorianCalendar {
    /// Microseconds in a day.
    public static let microsecondsPerDay: Int64 = 86_400_000_000
    /// Seconds in a day.
    public static let secondsPerDay = 86_400
    /// The Python ordinal of 1970-01-01 (`date(1970, 1, 1).toordinal()`).
    public static let ordinalOfUnixEpoch = 719_163
    /// The Python ordinals of 0001-01-01 through 9999-12-31, the dates Python's `date` allows.
    public static let validOrdinals: ClosedRange<Int> = 1...3_652_059
    /// The years a ``CivilDate`` can hold (Python's `MINYEAR...MAXYEAR`, four ISO digits).
    public static let validYears: ClosedRange<Int> = 1...9999

    /// Whether `year` is a Gregorian leap year (proleptic: also for years before 1582 and
    /// for zero and negative years).
    @inlinable
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days in `month` (1–12) of `year`; any other month counts 31 days.
    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The number of days in `year`: 365, or 366 in a leap year.
    @inlinable
    public static func daysInYear(_ year: Int) -> Int {
        isLeapYear(year) ? 366 : 365
    }

    /// Whether the fields name a real day in years 1–9999 (`datetime.date(year, month, day)`
    /// would succeed): February 29th only in leap years, April 31st never.
    @inlinable
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        year >= 1 && year <= 9999 && month >= 1 && month <= 12
            && day >= 1 && day <= daysInMonth(year: year, month: month)
    }

    /// Days from 1970-01-01 to the given date (negative before it), for any `Int` year;
    /// the fields are not validated (Hinnant's `days_from_civil`).
    @inlinable
    public static func days(fromYear year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` days after 1970-01-01 (before it when negative), for any day count
    /// (Hinnant's `civil_from_days`); the year is not limited to 1–9999.
    @inlinable
    public static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Day of the week of a Unix day count with Sunday = 0 … Saturday = 6, as cron counts
    /// (1970-01-01 was a Thursday, 4).
    @inlinable
    public static func weekday(ofDays days: Int) -> Int {
        floorModulo(days + 4, 7)
    }

    /// ISO day of the week of a Unix day count, Monday = 1 … Sunday = 7.
    @inlinable
    public static func isoWeekday(ofDays days: Int) -> Int {
        floorModulo(days + 3, 7) + 1
    }

    /// The 1-based day of the year (1 January is 1; strftime's `%j`); not validated.
    @inlinable
    public static func dayOfYear(year: Int, month: Int, day: Int) -> Int {
        days(fromYear: year, month: month, day: day) - days(fromYear: year, month: 1, day: 1) + 1
    }

    /// `date(year, month, day).toordinal()`: the Python ordinal of a valid date
    /// (0001-01-01 is 1). The fields are not validated.
    @inlinable
    public static func ordinal(year: Int, month: Int, day: Int) -> Int {
        days(fromYear: year, month: month, day: day) + 719_163
    }

    /// `date.fromordinal(ordinal)` as its fields, or `nil` outside ``validOrdinals``
    /// (before 0001-01-01 or after 9999-12-31), where Python raises.
    @inlinable
    public static func date(fromOrdinal ordinal: Int) -> (year: Int, month: Int, day: Int)? {
        guard ordinal >= 1, ordinal <= 3_652_059 else { return nil }
        return civil(fromDays: ordinal - 719_163)
    }

    /// ISO day of the week (Monday 1 … Sunday 7) of a Python ordinal (`isoweekday()`).
    @inlinable
    public static func isoWeekday(ordinal: Int) -> Int {
        floorModulo(ordinal + 6, 7) + 1
    }

    /// Integer division rounding towards negative infinity, for either sign of divisor
    /// (`-1 / 60` is `-1`, not `0`), so instants and dates before 1970 stay exact.
    @inlinable
    public static func floorDivide<Value: BinaryInteger>(_ value: Value, _ divisor: Value) -> Value {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// The remainder matching ``floorDivide(_:_:)``: it has the divisor's sign (`-1 mod 7`
    /// is `6`).
    @inlinable
    public static func floorModulo<Value: BinaryInteger>(_ value: Value, _ divisor: Value) -> Value {
        value - floorDivide(value, divisor) * divisor
    }
}
