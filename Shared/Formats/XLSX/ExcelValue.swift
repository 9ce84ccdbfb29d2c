/// How Excel stores numbers and dates, and how they become cell text.
///
/// A spreadsheet stores every number, date and time as a double; only the cell's
/// number format says that 45352.354 is "2024-03-01 08:30". `XLSXStyles` reads the
/// formats; this type turns the stored values into text.
public enum ExcelValue {
    /// What a date-like number format shows.
    public enum DateKind: Sendable, Hashable {
        /// Only a date (`yyyy-mm-dd`, built-in formats 14–17).
        case date
        /// Only a time of day (`h:mm:ss`, built-in 18–21 and 45–47).
        case time
        /// Both (`m/d/yyyy h:mm`, built-in 22).
        case dateTime
    }

    /// The text of a number as stored in `<v>`: integral values up to 2^53 (where a
    /// double is still exact) as plain integers (`3`, not `3.0`; `1E+2` is `100`),
    /// others in the shortest form that reads back to the same double (`0.1`,
    /// `1e-05`, `1e+20`). Text that is not a number is kept as is.
    public static func number(_ text: String) -> String {
        if isPlainInteger(text) { return text }
        guard let value = Double(text), value.isFinite else { return text }
        if value == value.rounded(.towardZero), abs(value) <= 9_007_199_254_740_992 { // 2^53: exact
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// Whether `text` is already a canonical integer: optional `-`, no leading zero,
    /// at most 15 digits (so it is exact as a double).
    private static func isPlainInteger(_ text: String) -> Bool {
        var utf8 = text.utf8[...]
        if utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
        guard let first = utf8.first, utf8.count <= 15 else { return false }
        if first == UInt8(ascii: "0") { return utf8.count == 1 && text.utf8.count == 1 }
        return utf8.allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
    }

    /// The ISO 8601 text of a date serial number, or `nil` when it is no valid date
    /// (negative, beyond 9999-12-31, or 1900-02-29, which only Excel's leap-year bug
    /// knows); the caller then shows the number.
    ///
    /// A date without a time of day reads `2024-03-01`; anything with a time reads
    /// `2024-03-01T08:30:00` (milliseconds are added only when present); a time
    /// format with a serial below 1 reads `08:30:00`. Times are rounded to the
    /// nearest millisecond, which absorbs the float noise of the stored fraction.
    public static func date(serial: Double, kind: DateKind, date1904: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        var milliseconds = Int(((serial - Double(days)) * 86_400_000).rounded())
        if milliseconds >= 86_400_000 {
            days += 1
            milliseconds -= 86_400_000
        }
        let time = timeText(milliseconds)
        if days == 0, !date1904 {
            // Serial 0 is Excel's "1900-01-00": only its time of day means anything.
            return kind == .date && milliseconds == 0 ? nil : time
        }
        if kind == .time, days == 0 { return time }
        let unixDays: Int
        if date1904 {
            unixDays = days - 24_107 // 1904-01-01
        } else if days < 60 {
            unixDays = days - 25_568 // 1899-12-31 + days: serial 1 is 1900-01-01
        } else if days == 60 {
            return nil // 1900-02-29 does not exist
        } else {
            unixDays = days - 25_569 // 1899-12-30 + days, past the phantom leap day
        }
        let (year, month, day) = civil(fromUnixDays: unixDays)
        guard year <= 9999 else { return nil }
        let dateText = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        if kind == .date, milliseconds == 0 { return dateText }
        return dateText + "T" + time
    }

    /// `HH:MM:SS`, with `.mmm` when the milliseconds are not zero.
    private static func timeText(_ milliseconds: Int) -> String {
        let seconds = milliseconds / 1000
        var text = pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if milliseconds % 1000 != 0 { text += "." + pad(milliseconds % 1000, 3) }
        return text
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard
    /// Hinnant's `civil_from_days`).
    public static func civil(fromUnixDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
