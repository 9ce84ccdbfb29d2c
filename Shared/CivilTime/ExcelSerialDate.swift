/// A spreadsheet date serial number — whole days since the workbook's epoch plus a
/// fraction of a day — rounded to the millisecond.
///
/// A spreadsheet stores every date and time as a double; only the cell's number format
/// says that 45352.354 is "2024-03-01 08:30". This type turns such a double into a date,
/// a time of day and the ISO text Sluice cells carry. Two date systems exist:
///
/// - **1900** (the default): serial 1 is 1900-01-01. Excel copied Lotus 1-2-3's bug of
///   treating 1900 as a leap year, so serial 60 is the phantom 1900-02-29 (no date) and
///   every later serial is one day ahead of a plain count: serial 61 is 1900-03-01.
///   Serial 0 is "1900-01-00": only its time of day means anything.
/// - **1904** (old Mac workbooks, `date1904="1"`): serial 0 is 1904-01-01, no bug.
///
/// Serials from 0 up to (not including) 2,958,466 are accepted; the time of day is
/// rounded to the nearest millisecond, which absorbs the float noise of stored fractions,
/// and a fraction that rounds up to a whole day moves to the next day's midnight.
public struct ExcelSerialDate: Sendable, Hashable {
    /// Which day the serial numbers count from.
    public enum System: Sendable, Hashable {
        /// Serial 1 is 1900-01-01, with the phantom 1900-02-29 at serial 60.
        case excel1900
        /// Serial 0 is 1904-01-01.
        case excel1904
    }

    /// What a date-like number format shows.
    public enum Kind: Sendable, Hashable {
        /// Only a date (`yyyy-mm-dd`, built-in formats 14–17).
        case date
        /// Only a time of day (`h:mm:ss`, built-in 18–21 and 45–47).
        case time
        /// Both (`m/d/yyyy h:mm`, built-in 22).
        case dateTime
    }

    /// Whole days: the serial's integral part, after rounding the time of day.
    public let days: Int
    /// The time of day in milliseconds, 0 through 86,399,999.
    public let milliseconds: Int
    /// The date system the serial counts in.
    public let system: System

    /// Reads a stored serial, or `nil` when it is not finite, negative, or 2,958,466 or
    /// more (beyond 9999-12-31 in the 1900 system).
    public init?(serial: Double, system: System) {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        var milliseconds = Int(((serial - Double(days)) * 86_400_000).rounded())
        if milliseconds >= 86_400_000 {
            days += 1
            milliseconds -= 86_400_000
        }
        self.days = days
        self.milliseconds = milliseconds
        self.system = system
    }

    /// The serial of `date` at `milliseconds` into the day, or `nil` when the date
    /// precedes the system's first day (1900-01-01 or 1904-01-01) or the time is not in
    /// `0..<86_400_000`. In the 1900 system dates from 1900-03-01 on count the phantom
    /// leap day, as Excel does.
    public init?(date: CivilDate, milliseconds: Int = 0, system: System) {
        guard milliseconds >= 0, milliseconds < 86_400_000 else { return nil }
        let unixDays = date.daysSinceEpoch
        let days: Int
        switch system {
        case .excel1904:
            days = unixDays + 24_107
            guard days >= 0 else { return nil }
        case .excel1900:
            let plain = unixDays + 25_568 // 1899-12-31 + plain is the date
            guard plain >= 1 else { return nil }
            days = plain < 60 ? plain : plain + 1
        }
        self.days = days
        self.milliseconds = milliseconds
        self.system = system
    }

    /// The serial as a spreadsheet stores it.
    public var serial: Double {
        Double(days) + Double(milliseconds) / 86_400_000
    }

    /// The calendar date, or `nil` for serial day 0 of the 1900 system ("1900-01-00"),
    /// for serial 60 (the phantom 1900-02-29) and beyond 9999-12-31.
    public var date: CivilDate? {
        let unixDays: Int
        switch system {
        case .excel1904:
            unixDays = days - 24_107 // 1904-01-01
        case .excel1900:
            if days == 0 || days == 60 { return nil }
            // 1899-12-31 + days before the phantom day; 1899-12-30 + days after it.
            unixDays = days < 60 ? days - 25_568 : days - 25_569
        }
        return CivilDate(daysSinceEpoch: unixDays)
    }

    /// The time of day, with three fraction digits when the milliseconds are not zero.
    public var timeOfDay: TimeOfDay {
        let seconds = milliseconds / 1000
        let fraction = milliseconds % 1000
        return TimeOfDay(uncheckedHour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60,
                         fractionDigits: fraction == 0 ? "" : ISOText.padded(fraction, 3))
    }

    /// The cell text a number format of `kind` shows, or `nil` when the serial names no
    /// valid date (the caller then shows the number):
    ///
    /// - a date without a time of day reads `2024-03-01`; anything with a time reads
    ///   `2024-03-01T08:30:00` (`.mmm` only when the milliseconds are not zero);
    /// - a time format with a serial below 1 reads `08:30:00`; so does serial day 0 of the
    ///   1900 system in any format, unless it is a date format at exactly midnight (`nil`);
    /// - serial 60 of the 1900 system and dates after 9999-12-31 are `nil`.
    public func text(as kind: Kind) -> String? {
        let time = timeOfDay.description
        if days == 0, system == .excel1900 {
            return kind == .date && milliseconds == 0 ? nil : time
        }
        if kind == .time, days == 0 { return time }
        guard let date else { return nil }
        if kind == .date, milliseconds == 0 { return date.description }
        return date.description + "T" + time
    }
}
