/// A wall-clock reading to the minute — date, hour and minute as a clock on the wall shows
/// them — with no time zone attached and no range check on the year.
///
/// Cron fields describe wall-clock readings ("02:30 on the 1st"), so the schedule search
/// runs on readings and only maps the result to an instant at the end, with
/// ``TimeZoneRules/resolve(wallSeconds:)``. The arithmetic is the proleptic Gregorian
/// calendar of ``GregorianCalendar`` — the same rules as Foundation's Gregorian calendar
/// for every date a job can be scheduled on — so it is exact, allocation-free and
/// unaffected by daylight-saving quirks in calendar APIs.
///
/// Unlike ``CivilDate`` the year may be anything (a search from a far-future instant runs
/// past 9999) and the fields are trusted: build readings from components already known to
/// be valid, or from naive seconds.
public struct WallClockTime: Sendable, Hashable, Comparable {
    /// The year, any integer.
    public var year: Int
    /// The month, 1 through 12.
    public var month: Int
    /// The day of the month, 1 through the month's length.
    public var day: Int
    /// The hour, 0 through 23.
    public var hour: Int
    /// The minute, 0 through 59.
    public var minute: Int

    /// Where a wall-clock reading lands on the timeline of a zone.
    public enum Resolution: Sendable, Hashable {
        /// The instants (seconds since 1970, ascending) at which the zone's clocks show the
        /// reading: one normally, two inside a fall-back overlap.
        case instants([Int])
        /// The reading is skipped by a spring-forward gap; `end` is the first whole minute
        /// after the gap, i.e. the instant the clocks jumped.
        case gap(end: Int)
    }

    /// Creates a reading from its components, which are assumed valid.
    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// The reading whose naive seconds (wall time counted as if it were UTC) are
    /// `naiveSeconds`, truncated down to the minute (also before 1970).
    public init(naiveSeconds: Int) {
        let days = GregorianCalendar.floorDivide(naiveSeconds, GregorianCalendar.secondsPerDay)
        let secondOfDay = naiveSeconds - days * GregorianCalendar.secondsPerDay
        let date = GregorianCalendar.civil(fromDays: days)
        self.init(year: date.year, month: date.month, day: date.day,
                  hour: secondOfDay / 3_600, minute: secondOfDay % 3_600 / 60)
    }

    /// The reading of a date and time of day (seconds and fractions are dropped).
    public init(_ dateTime: CivilDateTime) {
        self.init(year: dateTime.date.year, month: dateTime.date.month, day: dateTime.date.day,
                  hour: dateTime.time.hour, minute: dateTime.time.minute)
    }

    /// Wall time counted in seconds as if it were UTC; differs from an instant by the
    /// zone's offset, which is exactly what ``TimeZoneRules/resolve(wallSeconds:)`` finds.
    public var naiveSeconds: Int {
        daysSinceEpoch * GregorianCalendar.secondsPerDay + hour * 3_600 + minute * 60
    }

    /// Days from 1970-01-01 to the reading's date.
    public var daysSinceEpoch: Int {
        GregorianCalendar.days(fromYear: year, month: month, day: day)
    }

    /// Day of the week with Sunday = 0 … Saturday = 6, as cron counts.
    public var weekday: Int {
        GregorianCalendar.weekday(ofDays: daysSinceEpoch)
    }

    /// The reading's date as a ``CivilDate``, or `nil` when it is not a real day in years
    /// 1–9999.
    public var civilDate: CivilDate? {
        CivilDate(year: year, month: month, day: day)
    }

    /// Orders readings chronologically (field by field, which for valid readings is the
    /// order of ``naiveSeconds``).
    public static func < (lhs: WallClockTime, rhs: WallClockTime) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute) < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute)
    }
}
