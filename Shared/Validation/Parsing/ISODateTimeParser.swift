import CivilTime
import Contracts
import Tabular
/// frictionless's default readers for `time` and `datetime`: a length/colon guard
/// followed by `dateutil.parser.isoparse`, reimplemented byte for byte.
///
/// `isoparse` is more liberal than RFC 3339 and the oracle holds us to it: any single
/// character may separate date and time (`2024-01-05 10:30:00`, even `2024-01-05x10:30:00`),
/// the date may be `YYYY-MM-DD`, `YYYYMMDD`, an ISO week (`2024-W01-1`) or ordinal date,
/// seconds may carry any number of fraction digits after `.` or `,` (truncated to
/// microseconds), offsets may be `Z`, `z`, `±HH`, `±HHMM` or `±HH:MM`, and `24:00:00`
/// means midnight of the next day. Python's `int()` reads each 2- or 4-byte slice, so
/// oddities such as `+202-01-05T…` (year 202) are accepted exactly as frictionless does.
enum ISODateTimeParser {
    /// A parsed date-time: Python ordinal, microseconds since midnight, optional offset.
    struct Result: Sendable, Hashable {
        var ordinal: Int
        var micros: Int64
        var offsetMicros: Int64?
    }

    /// frictionless `DatetimeField` default format: `cell[16] == ":"`, at least 19 code
    /// points, then `isoparse(cell)`.
    static func parseDatetime(_ text: String) -> Result? {
        let scalars = text.unicodeScalars
        guard scalars.count >= 19,
              scalars[scalars.index(scalars.startIndex, offsetBy: 16)] == ":" else { return nil }
        return isoparse(text)
    }

    /// frictionless `TimeField` default format: `cell[5] == ":"`, at least 8 code points,
    /// then `isoparse("2000-01-01T" + cell).timetz()`.
    static func parseTime(_ text: String) -> Result? {
        let scalars = text.unicodeScalars
        guard scalars.count >= 8,
              scalars[scalars.index(scalars.startIndex, offsetBy: 5)] == ":" else { return nil }
        // The fixed date prefix always parses, so only the time part needs reading.
        guard PythonText.isASCII(text) else { return nil }
        let bytes = Array(text.utf8)
        guard var time = parseTime(bytes, from: 0) else { return nil }
        if time.hour == 24 { time.hour = 0 }
        guard (0...23).contains(time.hour), (0...59).contains(time.minute), (0...59).contains(time.second)
        else { return nil }
        let micros = Int64(((time.hour * 60 + time.minute) * 60 + time.second) * 1_000_000 + time.micro)
        return Result(ordinal: 730_120, micros: micros, offsetMicros: time.offset)
    }

    /// `dateutil.parser.isoparse` (with `sep=None`).
    static func isoparse(_ text: String) -> Result? {
        guard PythonText.isASCII(text) else { return nil }
        let bytes = Array(text.utf8)
        guard let (date, position) = parseDate(bytes) ?? parseUncommonDate(bytes) else { return nil }
        var time = (hour: 0, minute: 0, second: 0, micro: 0, offset: Int64?.none)
        if bytes.count > position {
            guard let parsed = parseTime(bytes, from: position + 1) else { return nil }
            time = parsed
        }
        var ordinalShift = 0
        if time.hour == 24 {
            time.hour = 0
            ordinalShift = 1
        }
        guard GregorianCalendar.isValid(year: date.0, month: date.1, day: date.2),
              (0...23).contains(time.hour), (0...59).contains(time.minute),
              (0...59).contains(time.second) else { return nil }
        let ordinal = GregorianCalendar.ordinal(year: date.0, month: date.1, day: date.2) + ordinalShift
        guard GregorianCalendar.date(fromOrdinal: ordinal) != nil else { return nil }
        let micros = Int64(((time.hour * 60 + time.minute) * 60 + time.second) * 1_000_000 + time.micro)
        return Result(ordinal: ordinal, micros: micros, offsetMicros: time.offset)
    }

    /// `int(bytes)` on a slice; `nil` where Python raises `ValueError`.
    private static func int(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        let clamped = range.clamped(to: 0..<bytes.count)
        return bytes[clamped].withUnsafeBufferPointer { buffer -> Int? in
            guard case .small(let value)? = PythonNumberSyntax.parseInt(buffer) else { return nil }
            return Int(value)
        }
    }

    /// `_parse_isodate_common`: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYYMMDD`.
    private static func parseDate(_ s: [UInt8]) -> ((Int, Int, Int), Int)? {
        guard s.count >= 4, let year = int(s, 0..<4) else { return nil }
        var position = 4
        if position >= s.count { return ((year, 1, 1), position) }
        let hasSeparator = s[position] == UInt8(ascii: "-")
        if hasSeparator { position += 1 }
        guard s.count - position >= 2, let month = int(s, position..<(position + 2)) else { return nil }
        position += 2
        if position >= s.count { return hasSeparator ? ((year, month, 1), position) : nil }
        if hasSeparator {
            guard s[position] == UInt8(ascii: "-") else { return nil }
            position += 1
        }
        guard s.count - position >= 2, let day = int(s, position..<(position + 2)) else { return nil }
        return ((year, month, day), position + 2)
    }

    /// `_parse_isodate_uncommon`: ISO week dates and ordinal dates.
    private static func parseUncommonDate(_ s: [UInt8]) -> ((Int, Int, Int), Int)? {
        guard s.count >= 4, let year = int(s, 0..<4) else { return nil }
        let hasSeparator = s.count > 4 && s[4] == UInt8(ascii: "-")
        var position = 4 + (hasSeparator ? 1 : 0)
        if position < s.count, s[position] == UInt8(ascii: "W") {
            position += 1
            guard let week = int(s, position..<(position + 2)) else { return nil }
            position += 2
            var weekday = 1
            if s.count > position {
                guard (s[position] == UInt8(ascii: "-")) == hasSeparator else { return nil }
                position += hasSeparator ? 1 : 0
                guard let value = int(s, position..<(position + 1)) else { return nil }
                weekday = value
                position += 1
            }
            guard (1...53).contains(week), (1...7).contains(weekday), (1...9999).contains(year)
            else { return nil }
            let january4 = GregorianCalendar.ordinal(year: year, month: 1, day: 4)
            let week1 = january4 - (GregorianCalendar.isoWeekday(ordinal: january4) - 1)
            guard let date = GregorianCalendar.date(fromOrdinal: week1 + (week - 1) * 7 + weekday - 1)
            else { return nil }
            return ((date.year, date.month, date.day), position)
        }
        guard s.count - position >= 3, let dayOfYear = int(s, position..<(position + 3)),
              (1...9999).contains(year),
              (1...(GregorianCalendar.daysInYear(year))).contains(dayOfYear),
              let date = GregorianCalendar.date(fromOrdinal:
                  GregorianCalendar.ordinal(year: year, month: 1, day: 1) + dayOfYear - 1)
        else { return nil }
        return ((date.year, date.month, date.day), position + 3)
    }

    /// `_parse_isotime`: `hh[:mm[:ss[.f+]]]` then an optional offset, read from
    /// `t[start...]` (indices stay absolute to avoid copying the slice).
    private static func parseTime(_ t: [UInt8], from start: Int)
        -> (hour: Int, minute: Int, second: Int, micro: Int, offset: Int64?)? {
        guard t.count - start >= 2 else { return nil }
        // hour, minute, second, microsecond (a tuple: an array here would allocate per cell)
        var components = (0, 0, 0, 0)
        var offset: Int64?
        var position = start
        var component = -1
        var hasSeparator = false
        while position < t.count, component < 5 {
            component += 1
            let byte = t[position]
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "Z")
                || byte == UInt8(ascii: "z") {
                guard let parsed = parseOffset(t, from: position) else { return nil }
                offset = parsed
                position = t.count
                break
            }
            if component == 1, byte == UInt8(ascii: ":") {
                hasSeparator = true
                position += 1
            } else if component == 2, hasSeparator {
                guard byte == UInt8(ascii: ":") else { return nil }
                position += 1
            }
            if component < 3 {
                guard let value = int(t, position..<(position + 2)) else { return nil }
                switch component {
                case 0: components.0 = value
                case 1: components.1 = value
                default: components.2 = value
                }
                position += 2
            }
            if component == 3 {
                // [\.,]([0-9]+), truncated to six digits.
                guard position < t.count, t[position] == UInt8(ascii: ".") || t[position] == UInt8(ascii: ",")
                else { continue }
                var end = position + 1
                while end < t.count, (0x30...0x39).contains(t[end]) { end += 1 }
                guard end > position + 1 else { continue }
                let digits = t[(position + 1)..<min(end, position + 7)]
                var micro = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                for _ in digits.count..<6 { micro *= 10 }
                components.3 = micro
                position = end
            }
        }
        guard position >= t.count else { return nil }
        if components.0 == 24, components.1 != 0 || components.2 != 0 || components.3 != 0 {
            return nil
        }
        return (components.0, components.1, components.2, components.3, offset)
    }

    /// `_parse_tzstr`: `Z`, `z`, `±HH`, `±HHMM`, `±HH:MM` (zero offsets become UTC).
    private static func parseOffset(_ bytes: [UInt8], from start: Int) -> Int64? {
        let z = bytes[start...]
        if z.count == 1, z.first == UInt8(ascii: "Z") || z.first == UInt8(ascii: "z") { return 0 }
        guard [3, 5, 6].contains(z.count) else { return nil }
        let sign: Int64
        switch z[start] {
        case UInt8(ascii: "-"): sign = -1
        case UInt8(ascii: "+"): sign = 1
        default: return nil
        }
        guard let hours = int(bytes, (start + 1)..<(start + 3)) else { return nil }
        var minutes = 0
        if z.count > 3 {
            let minutesStart = start + (z[start + 3] == UInt8(ascii: ":") ? 4 : 3)
            guard let value = int(bytes, minutesStart..<bytes.count) else { return nil }
            minutes = value
        }
        if hours == 0 && minutes == 0 { return 0 }
        guard minutes <= 59, hours <= 23 else { return nil }
        return sign * Int64(hours * 60 + minutes) * 60_000_000
    }
}
