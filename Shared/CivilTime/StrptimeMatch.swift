/// The date and time a ``StrptimeFormat`` read, after its dialect's validation: always a
/// real day in years 1–9999 and a time from 00:00:00 to 23:59:59.999999.
///
/// The fields are plain integers so per-cell callers can use them without building
/// values; ``date``, ``time``, ``utcOffset`` and ``dateTime`` give the typed forms, and
/// ``ordinal`` and ``timeMicroseconds`` the numbers the validator stores.
///
/// How the captured text becomes fields depends on the dialect:
///
/// - ``StrptimeDialect/python`` is `_strptime._strptime` followed by the `datetime(...)`
///   constructor: two-digit years pivot at 69, `%I` with `%p` makes a 24-hour clock, `%j`
///   overrides month and day, a missing year is 1900 (so `02-29` without a year fails, as
///   in Python 3.11), and any field out of range — February 30th, second 60, a UTC offset
///   of 24 hours — fails;
/// - ``StrptimeDialect/simple`` takes each directive's number (the last one when a
///   directive repeats), reads `%y` with the same pivot and fails unless the fields name a
///   real date and hour 0–23, minute and second 0–59. It never sets a microsecond or an
///   offset.
public struct StrptimeMatch: Sendable, Hashable {
    /// The year, 1 through 9999.
    public let year: Int
    /// The month, 1 through 12.
    public let month: Int
    /// The day of the month.
    public let day: Int
    /// The hour, 0 through 23.
    public let hour: Int
    /// The minute, 0 through 59.
    public let minute: Int
    /// The second, 0 through 59.
    public let second: Int
    /// The microsecond (`%f`), 0 through 999,999.
    public let microsecond: Int
    /// The `%z` offset in microseconds (east positive), or `nil` for a naive value.
    public let offsetMicroseconds: Int64?

    /// The date part.
    public var date: CivilDate {
        CivilDate(uncheckedYear: year, month: month, day: day)
    }

    /// The time part, with six fraction digits when the microsecond is not zero.
    public var time: TimeOfDay {
        TimeOfDay(uncheckedHour: hour, minute: minute, second: second,
                  fractionDigits: TimeOfDay.fractionDigits(microsecond: microsecond))
    }

    /// The offset, or `nil` for a naive value.
    public var utcOffset: UTCOffset? {
        offsetMicroseconds.map(UTCOffset.init(uncheckedMicroseconds:))
    }

    /// Date, time and offset together.
    public var dateTime: CivilDateTime {
        CivilDateTime(date: date, time: time, offset: utcOffset)
    }

    /// The Python ordinal of the date part.
    public var ordinal: Int {
        GregorianCalendar.ordinal(year: year, month: month, day: day)
    }

    /// Microseconds since midnight of the time part.
    public var timeMicroseconds: Int64 {
        Int64(((hour * 60 + minute) * 60 + second) * 1_000_000 + microsecond)
    }

    /// ``StrptimeDialect/python``: converts the captured substrings (in format order).
    static func python(_ input: [Unicode.Scalar], _ captures: [StrptimeFormat.Capture]) -> StrptimeMatch? {
        var year: Int?
        var month = 1, day = 1, hour = 0, minute = 0, second = 0, fraction = 0
        var offset: Int64?
        var julian: Int?
        let ampm = captures.first { $0.directive == "p" }
            .map { String(String.UnicodeScalarView(input[$0.start..<$0.end])).lowercased() } ?? ""
        for capture in captures {
            let text = input[capture.start..<capture.end]
            switch capture.directive {
            case "y":
                let value = integer(text)
                year = value + (value <= 68 ? 2000 : 1900)
            case "Y": year = integer(text)
            case "m": month = integer(text)
            case "d": day = integer(text)
            case "H": hour = integer(text)
            case "M": minute = integer(text)
            case "S": second = integer(text)
            case "j": julian = integer(text)
            case "I":
                hour = integer(text)
                if ampm == "" || ampm == "am" {
                    if hour == 12 { hour = 0 }
                } else if ampm == "pm", hour != 12 {
                    hour += 12
                }
            case "f":
                let digits = String(String.UnicodeScalarView(text))
                fraction = Int(digits + String(repeating: "0", count: 6 - digits.count)) ?? 0
            case "b", "B", "a", "A":
                // Python looks the lower-cased match up in the name list; a match that only
                // folded case-insensitively (e.g. via U+017F) is not found and raises.
                let lowered = String(String.UnicodeScalarView(text)).lowercased()
                guard let entry = StrptimeFormat.pythonNames[capture.directive]?.first(where: { $0.0 == lowered })
                else { return nil }
                if capture.directive == "b" || capture.directive == "B" { month = entry.1 }
            case "z":
                guard let parsed = zoneOffset(text) else { return nil }
                offset = parsed
            default:
                break
            }
        }
        var resolvedYear = year ?? 1900
        if year == nil, month == 2, day == 29 {
            // Python checks the date against leap year 1904 but then builds it in 1900.
            resolvedYear = 1900
        }
        if let julian {
            guard (1...9999).contains(resolvedYear),
                  let date = GregorianCalendar.date(fromOrdinal: julian - 1
                      + GregorianCalendar.ordinal(year: resolvedYear, month: 1, day: 1))
            else { return nil }
            (resolvedYear, month, day) = date
        }
        guard GregorianCalendar.isValid(year: resolvedYear, month: month, day: day),
              hour < 24, minute < 60, second < 60 else { return nil }
        if let offset, offset.magnitude >= UInt64(GregorianCalendar.microsecondsPerDay) { return nil }
        return StrptimeMatch(year: resolvedYear, month: month, day: day, hour: hour, minute: minute,
                             second: second, microsecond: fraction, offsetMicroseconds: offset)
    }

    /// ``StrptimeDialect/simple``: converts the captured substrings (in format order).
    static func simple(_ input: [Unicode.Scalar], _ captures: [StrptimeFormat.Capture]) -> StrptimeMatch? {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        for capture in captures {
            let text = input[capture.start..<capture.end]
            switch capture.directive {
            case "Y": year = integer(text)
            case "y":
                let value = integer(text)
                year = value < 69 ? 2000 + value : 1900 + value
            case "m": month = integer(text)
            case "b", "B": month = StrptimeFormat.simpleMonth(text) ?? 0
            case "d": day = integer(text)
            case "H": hour = integer(text)
            case "M": minute = integer(text)
            case "S": second = integer(text)
            default: break
            }
        }
        guard GregorianCalendar.isValid(year: year, month: month, day: day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        return StrptimeMatch(year: year, month: month, day: day, hour: hour, minute: minute,
                             second: second, microsecond: 0, offsetMicroseconds: nil)
    }

    /// `int()` of matched digits (Unicode digits allowed, a leading space for `%d`).
    private static func integer(_ text: ArraySlice<Unicode.Scalar>) -> Int {
        text.reduce(0) { value, scalar in
            StrptimeFormat.pythonDecimalDigit(scalar).map { value * 10 + $0 } ?? value
        }
    }

    /// `_strptime`'s `%z` post-processing: `Z`, or `±HH[:]MM[[:]SS[.ffffff]]` where a colon
    /// after the hours must be repeated after the minutes.
    private static func zoneOffset(_ text: ArraySlice<Unicode.Scalar>) -> Int64? {
        var z = Array(text)
        if z == ["Z"] { return 0 }
        if z.count > 3, z[3] == ":" {
            z.remove(at: 3)
            if z.count > 5 {
                guard z[5] == ":" else { return nil }
                z.remove(at: 5)
            }
        }
        let hours = integer(z[1..<3])
        let minutes = integer(z[3..<5])
        let seconds = z.count >= 7 ? integer(z[5..<7]) : 0
        var fraction = 0
        if z.count > 8 {
            let digits = z[8...]
            fraction = integer(digits) * Int(pow10(6 - digits.count))
        }
        let magnitude = Int64(hours * 3600 + minutes * 60 + seconds) * 1_000_000 + Int64(fraction)
        return z[0] == "-" ? -magnitude : magnitude
    }

    private static func pow10(_ exponent: Int) -> Int {
        (0..<max(0, exponent)).reduce(1) { value, _ in value * 10 }
    }
}
