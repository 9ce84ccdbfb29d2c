/// A proleptic Gregorian calendar date without a time zone, 0001-01-01 through
/// 9999-12-31: the range of Python's `date` and of four-digit ISO 8601 years, and the form
/// dates take in Sluice cells (`"2024-03-01"`).
///
/// Dates travel through the pipeline as ISO 8601 text, so this type exists to read, check
/// and write that text (see `CivilDate+ISO.swift`) and to do day arithmetic, without
/// Foundation or a calendar object (both are slow per row and locale-sensitive). Every
/// instance names a real day: the failable initialisers reject `2023-02-29`, month 13 and
/// years outside 1–9999.
///
/// Two day numberings convert to and from dates: days since 1970-01-01
/// (``daysSinceEpoch``) and Python ordinals (``ordinal``); see ``GregorianCalendar``.
public struct CivilDate: Sendable, Hashable, Comparable {
    /// The year, 1 through 9999.
    public let year: Int
    /// The month, 1 through 12.
    public let month: Int
    /// The day of the month, 1 through the month's length.
    public let day: Int

    /// Creates a date, or `nil` when the fields do not name a real day (`2023-02-29`) or
    /// the year is outside 1–9999.
    public init?(year: Int, month: Int, day: Int) {
        guard GregorianCalendar.isValid(year: year, month: month, day: day) else { return nil }
        self.init(uncheckedYear: year, month: month, day: day)
    }

    /// Creates a date from fields the caller has already validated.
    init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Creates the date that is `days` days after 1970-01-01 (negative before it), or
    /// `nil` outside years 1–9999.
    public init?(daysSinceEpoch days: Int) {
        let civil = GregorianCalendar.civil(fromDays: days)
        self.init(year: civil.year, month: civil.month, day: civil.day)
    }

    /// Creates the date with Python ordinal `ordinal` (`date.fromordinal`; 0001-01-01 is
    /// 1), or `nil` outside 1…3,652,059.
    public init?(ordinal: Int) {
        guard let civil = GregorianCalendar.date(fromOrdinal: ordinal) else { return nil }
        self.init(uncheckedYear: civil.year, month: civil.month, day: civil.day)
    }

    /// Days since 1970-01-01 (negative before it); differences give day counts.
    public var daysSinceEpoch: Int {
        GregorianCalendar.days(fromYear: year, month: month, day: day)
    }

    /// The Python ordinal (`date.toordinal()`): 0001-01-01 is 1, 1970-01-01 is 719,163.
    public var ordinal: Int {
        GregorianCalendar.ordinal(year: year, month: month, day: day)
    }

    /// Day of the week with Sunday = 0 … Saturday = 6, as cron counts.
    public var weekday: Int {
        GregorianCalendar.weekday(ofDays: daysSinceEpoch)
    }

    /// ISO day of the week, Monday = 1 … Sunday = 7 (Python's `isoweekday()`).
    public var isoWeekday: Int {
        GregorianCalendar.isoWeekday(ofDays: daysSinceEpoch)
    }

    /// The day of the year, 1 through 365 or 366 (strftime's `%j`).
    public var dayOfYear: Int {
        GregorianCalendar.dayOfYear(year: year, month: month, day: day)
    }

    /// Whether the date's year has a February 29th.
    public var isInLeapYear: Bool {
        GregorianCalendar.isLeapYear(year)
    }

    /// The date `days` days later (earlier when negative), or `nil` when that leaves
    /// years 1–9999.
    public func adding(days: Int) -> CivilDate? {
        let (sum, overflow) = daysSinceEpoch.addingReportingOverflow(days)
        return overflow ? nil : CivilDate(daysSinceEpoch: sum)
    }

    /// Whole calendar months from `self` to `other`, counting a month only once its day is
    /// reached (2024-01-31 → 2024-02-29 is 0 months); negative when `other` is earlier.
    public func months(to other: CivilDate) -> Int {
        if other < self { return -other.months(to: self) }
        var months = (other.year - year) * 12 + (other.month - month)
        if other.day < day { months -= 1 }
        return months
    }

    /// Orders dates chronologically.
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// The number of days in a month of a year (see
    /// ``GregorianCalendar/daysInMonth(year:month:)``).
    public static func daysInMonth(year: Int, month: Int) -> Int {
        GregorianCalendar.daysInMonth(year: year, month: month)
    }

    /// Whether `year` is a Gregorian leap year (see ``GregorianCalendar/isLeapYear(_:)``).
    public static func isLeapYear(_ year: Int) -> Bool {
        GregorianCalendar.isLeapYear(year)
    }
}
