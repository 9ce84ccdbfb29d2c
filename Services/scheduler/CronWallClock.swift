/// A calendar date and time of day to the minute, with no time zone attached.
///
/// Cron fields describe wall-clock readings ("02:30 on the 1st"), so the schedule search
/// runs on wall-clock values and only maps the result to an instant at the end (see
/// `CronZoneMap`). The arithmetic is the proleptic Gregorian calendar — the same rules
/// as `Calendar(identifier: .gregorian)` for every date a job can be scheduled on — done
/// with integer formulas (Howard Hinnant's `days_from_civil`) because they are exact,
/// allocation-free and unaffected by daylight-saving quirks in calendar APIs.
struct CronWallClock: Sendable, Hashable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    /// Creates a wall-clock reading from its components (assumed valid).
    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// The reading whose "naive" seconds (wall time counted as if it were UTC) are
    /// `naiveSeconds`, truncated down to the minute.
    init(naiveSeconds: Int) {
        let days = Self.floorDivide(naiveSeconds, 86_400)
        let secondOfDay = naiveSeconds - days * 86_400
        let date = Self.civil(fromDays: days)
        self.init(year: date.year, month: date.month, day: date.day,
                  hour: secondOfDay / 3_600, minute: secondOfDay % 3_600 / 60)
    }

    /// Wall time counted in seconds as if it were UTC; differs from an instant by the
    /// zone's offset, which is exactly what `CronZoneMap` resolves.
    var naiveSeconds: Int {
        Self.days(fromYear: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60
    }

    /// Day of week with Sunday = 0, as cron counts.
    var weekday: Int {
        Self.weekday(ofDays: Self.days(fromYear: year, month: month, day: day))
    }

    /// Days since 1970-01-01 for a Gregorian date.
    static func days(fromYear year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The Gregorian date `days` after 1970-01-01.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
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

    /// Day of week (Sunday = 0) for a count of days since 1970-01-01, a Thursday.
    static func weekday(ofDays days: Int) -> Int {
        let remainder = (days + 4) % 7
        return remainder < 0 ? remainder + 7 : remainder
    }

    /// Whether `year` has a February 29th.
    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days in `month` of `year`.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Integer division rounding towards negative infinity (dates before 1970 stay exact).
    static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
