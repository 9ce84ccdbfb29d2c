import Contracts
import Tabular
/// The date and time a `strptime` match denotes, after Python's validation.
///
/// This is `_strptime._strptime` followed by the `datetime(...)` constructor: two-digit
/// years pivot at 69, `%I` with `%p` makes a 24-hour clock, `%j` overrides month and day,
/// a missing year is 1900 (so `02-29` without a year fails, as in Python 3.11), and any
/// field out of range — February 30th, second 60, a UTC offset of 24 hours — is `nil`.
struct StrptimeFields: Sendable, Hashable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var microsecond: Int
    /// The `%z` offset in microseconds, or `nil` for a naive value.
    var offsetMicros: Int64?

    /// The Python ordinal of the date part.
    var ordinal: Int { CivilCalendar.ordinal(year: year, month: month, day: day) }

    /// Microseconds since midnight of the time part.
    var timeMicros: Int64 {
        Int64(((hour * 60 + minute) * 60 + second) * 1_000_000 + microsecond)
    }

    /// Converts the captured substrings (directive, start, end) in format order.
    static func build(input: [Unicode.Scalar],
                      captures: [(Unicode.Scalar, Int, Int)]) -> StrptimeFields? {
        var year: Int?
        var month = 1, day = 1, hour = 0, minute = 0, second = 0, fraction = 0
        var offset: Int64?
        var julian: Int?
        let ampm = captures.first { $0.0 == "p" }.map { String(String.UnicodeScalarView(input[$0.1..<$0.2])).lowercased() } ?? ""
        for (directive, start, end) in captures {
            let text = input[start..<end]
            switch directive {
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
                guard let entry = StrptimeDirective.names[directive]?.first(where: { $0.0 == lowered })
                else { return nil }
                if directive == "b" || directive == "B" { month = entry.1 }
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
                  let date = CivilCalendar.date(fromOrdinal: julian - 1
                      + CivilCalendar.ordinal(year: resolvedYear, month: 1, day: 1))
            else { return nil }
            (resolvedYear, month, day) = date
        }
        guard CivilCalendar.isValid(year: resolvedYear, month: month, day: day),
              hour < 24, minute < 60, second < 60 else { return nil }
        if let offset, offset.magnitude >= UInt64(CivilCalendar.microsPerDay) { return nil }
        return StrptimeFields(year: resolvedYear, month: month, day: day, hour: hour,
                              minute: minute, second: second, microsecond: fraction,
                              offsetMicros: offset)
    }

    /// `int()` of matched digits (Unicode digits allowed, a leading space for `%d`).
    private static func integer(_ text: ArraySlice<Unicode.Scalar>) -> Int {
        text.reduce(0) { value, scalar in
            PythonText.decimalDigit(scalar).map { value * 10 + $0 } ?? value
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
