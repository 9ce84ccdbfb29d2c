/// Writing date-times with a format: Python's `datetime.strftime` for the directives a
/// ``StrptimeFormat`` supports, in the C locale.
///
/// The format is copied character by character (whitespace and literals exactly as
/// written, `%%` as `%`) and each directive is replaced by its field:
///
/// | directive | output |
/// |---|---|
/// | `%Y` | the year, four digits, zero-padded (`0099`) |
/// | `%y` | the year modulo 100, two digits |
/// | `%m` `%d` `%H` `%M` `%S` | two digits, zero-padded |
/// | `%I` | the hour on a 12-hour clock, `01`–`12` |
/// | `%p` | `AM` or `PM` |
/// | `%f` | the microsecond, six digits |
/// | `%z` | `±HHMM[SS[.ffffff]]`, empty for a naive value |
/// | `%j` | the day of the year, three digits |
/// | `%b` `%B` | `Jan`, `January` |
/// | `%a` `%A` | `Mon`, `Monday` |
///
/// The one deliberate difference from CPython on Linux: `%Y` is always zero-padded to four
/// digits (glibc writes year 99 as `99`), as on macOS and Windows, so that what
/// ``StrptimeFormat/format(_:)`` writes ``StrptimeFormat/parse(_:)`` reads back. In
/// ``StrptimeDialect/simple`` `%b` and `%B` are written like Python's although both read
/// either form.
extension StrptimeFormat {
    /// Writes `value` with this format (`strftime`). Every directive of a compiled format
    /// is supported, so this cannot fail.
    public func format(_ value: CivilDateTime) -> String {
        var output = String.UnicodeScalarView()
        var scalars = pattern.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "%", let directive = scalars.next() else {
                output.append(scalar)
                continue
            }
            output.append(contentsOf: Self.field(directive, of: value).unicodeScalars)
        }
        return String(output)
    }

    /// Writes `date` at midnight, naive (`%H` is `00`, `%z` empty).
    public func format(_ date: CivilDate) -> String {
        format(CivilDateTime(date: date))
    }

    /// Writes the date and time of `match` (including its microsecond and offset).
    public func format(_ match: StrptimeMatch) -> String {
        format(match.dateTime)
    }

    /// The text of one directive for `value`.
    private static func field(_ directive: Unicode.Scalar, of value: CivilDateTime) -> String {
        let date = value.date
        let time = value.time
        switch directive {
        case "Y": return ISOText.padded(date.year, 4)
        case "y": return ISOText.padded(date.year % 100, 2)
        case "m": return ISOText.padded(date.month, 2)
        case "d": return ISOText.padded(date.day, 2)
        case "H": return ISOText.padded(time.hour, 2)
        case "I": return ISOText.padded(time.hour % 12 == 0 ? 12 : time.hour % 12, 2)
        case "p": return time.hour < 12 ? "AM" : "PM"
        case "M": return ISOText.padded(time.minute, 2)
        case "S": return ISOText.padded(time.second, 2)
        case "f": return ISOText.padded(time.microsecond, 6)
        case "z": return value.offset?.compactDescription ?? ""
        case "j": return ISOText.padded(date.dayOfYear, 3)
        case "b": return capitalized(monthNames[date.month - 1].prefix(3))
        case "B": return capitalized(monthNames[date.month - 1][...])
        case "a": return capitalized(weekdayNames[date.isoWeekday - 1].prefix(3))
        case "A": return capitalized(weekdayNames[date.isoWeekday - 1][...])
        case "%": return "%"
        default: return "%" + String(Character(directive))
        }
    }

    /// `name` with its first letter in upper case (the names are ASCII).
    private static func capitalized(_ name: Substring) -> String {
        name.prefix(1).uppercased() + name.dropFirst()
    }
}
