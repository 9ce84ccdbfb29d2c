import Contracts
import Tabular
/// Proleptic Gregorian calendar arithmetic, as Python's `datetime` does it.
///
/// Python dates run from 0001-01-01 to 9999-12-31; anything outside is a `ValueError` or
/// `OverflowError`, which frictionless reports as a type error. Day numbers here are
/// Python ordinals (0001-01-01 is day 1), so `date.toordinal()` and `fromordinal()` logic
/// can be copied one-to-one.
enum CivilCalendar {
    /// Microseconds in a day.
    static let microsPerDay: Int64 = 86_400_000_000

    /// Whether `year` is a Gregorian leap year.
    @inline(__always)
    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days in `month` of `year`.
    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whether `datetime.date(year, month, day)` would succeed.
    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        (1...9999).contains(year) && (1...12).contains(month)
            && day >= 1 && day <= daysInMonth(year, month)
    }

    /// `date(year, month, day).toordinal()`; the date must be valid.
    static func ordinal(year: Int, month: Int, day: Int) -> Int {
        let y = year - 1
        var days = y * 365 + y / 4 - y / 100 + y / 400
        for m in 1..<month { days += daysInMonth(year, m) }
        return days + day
    }

    /// `date.fromordinal(ordinal)` as (year, month, day), or `nil` outside 1…9999.
    static func date(fromOrdinal ordinal: Int) -> (year: Int, month: Int, day: Int)? {
        guard ordinal >= 1, ordinal <= 3_652_059 else { return nil }
        // Count whole 400/100/4/1-year cycles, as CPython's ord_to_ymd does.
        var n = ordinal - 1
        let n400 = n / 146_097; n %= 146_097
        let n100 = n / 36_524; n %= 36_524
        let n4 = n / 1_461; n %= 1_461
        let n1 = n / 365; n %= 365
        var year = n400 * 400 + n100 * 100 + n4 * 4 + n1 + 1
        if n1 == 4 || n100 == 4 {
            year -= 1
            return (year, 12, 31)
        }
        var month = 1
        var dayOfYear = n
        while dayOfYear >= daysInMonth(year, month) {
            dayOfYear -= daysInMonth(year, month)
            month += 1
        }
        return (year, month, dayOfYear + 1)
    }

    /// ISO weekday (Monday 1 … Sunday 7) of a Python ordinal.
    @inline(__always)
    static func isoWeekday(ordinal: Int) -> Int {
        (ordinal + 6) % 7 + 1
    }

    /// Zero-padded decimal text of at least `width` digits (`4` → `"0004"`).
    static func padded(_ value: Int, _ width: Int) -> String {
        var bytes: [UInt8] = []
        appendPadded(value, width, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` with at least `width` digits. Formatting goes through byte arrays
    /// because building canonical dates with `String` concatenation dominated the cost of
    /// reading date columns.
    @inline(__always)
    static func appendPadded(_ value: Int, _ width: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for _ in count..<max(count, width) { bytes.append(0x30) }
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// Appends `YYYY-MM-DD` for a Python ordinal.
    static func appendDate(ordinal: Int, to bytes: inout [UInt8]) {
        guard let date = date(fromOrdinal: ordinal) else { return }
        appendPadded(date.year, 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(date.month, 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(date.day, 2, to: &bytes)
    }

    /// Appends `HH:MM:SS[.ffffff]` for microseconds since midnight.
    static func appendTime(micros: Int64, to bytes: inout [UInt8]) {
        let fraction = Int(micros % 1_000_000)
        let seconds = Int(micros / 1_000_000)
        appendPadded(seconds / 3600, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(seconds / 60 % 60, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(seconds % 60, 2, to: &bytes)
        if fraction != 0 {
            bytes.append(UInt8(ascii: "."))
            appendPadded(fraction, 6, to: &bytes)
        }
    }

    /// Appends an ISO UTC offset: `Z`, `+05:30`, `-01:00:30`, with seconds and fractions
    /// only when present (as Python's `isoformat` does, but `Z` for zero).
    static func appendOffset(micros: Int64, to bytes: inout [UInt8]) {
        if micros == 0 { bytes.append(UInt8(ascii: "Z")); return }
        bytes.append(micros < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        var rest = micros.magnitude
        let fraction = Int(rest % 1_000_000); rest /= 1_000_000
        let seconds = Int(rest % 60); rest /= 60
        let minutes = Int(rest % 60)
        let hours = Int(rest / 60)
        appendPadded(hours, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(minutes, 2, to: &bytes)
        if seconds != 0 || fraction != 0 {
            bytes.append(UInt8(ascii: ":"))
            appendPadded(seconds, 2, to: &bytes)
        }
        if fraction != 0 {
            bytes.append(UInt8(ascii: "."))
            appendPadded(fraction, 6, to: &bytes)
        }
    }
}
