import CivilTime
import Contracts
import Tabular
/// frictionless's `duration` reader: `isodate.parse_duration`, including Python
/// `timedelta`'s float arithmetic.
///
/// The grammar is `^[+-]?P(?!\b)(nY)?(nM)?(nW)?(nD)?(T(nH)?(nM)?(nS)?)?$` where each `n`
/// is `[0-9]+([,.][0-9]+)?`; so `PT`, `P1DT` and `P1W2D` are valid, `P` alone is not, and
/// (Python's `$`) a single trailing newline is allowed. Years and months stay exact
/// decimals (isodate keeps them as `Decimal`); the other parts are Python floats fed to
/// `timedelta`, whose C constructor splits each float into whole and fractional
/// microseconds and rounds the leftover half-to-even — replayed here so `PT0.0000015S`
/// is 2 µs and `P1000000000D` overflows, exactly as in frictionless.
///
/// The "alternative" form `PYYYY-MM-DDThh:mm:ss` (and `PYYYYMMDDThhmmss`) is supported;
/// isodate's other alternative forms (week and ordinal dates, reduced precision) are not.
enum DurationParser {
    static func parse(_ text: String) -> DurationValue? {
        guard PythonText.isASCII(text) else { return nil }
        var bytes = Array(text.utf8)
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }  // Python's `$`
        var index = 0
        var negative = false
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        let signed = index != start
        guard index < bytes.count, bytes[index] == UInt8(ascii: "P") else { return nil }
        index += 1
        guard index < bytes.count else { return nil }  // `P(?!\b)` needs a word character
        if let value = parseDesignators(bytes, from: index) {
            return value.negated(negative)
        }
        // isodate only tries the alternative form for text starting with `P` itself.
        guard !signed, bytes.count == text.utf8.count else { return nil }
        return parseAlternative(Array(bytes[index...]))
    }

    private struct Components {
        var years: DecimalNumber?, months: DecimalNumber?
        var weeks = 0.0, days = 0.0, hours = 0.0, minutes = 0.0, seconds = 0.0
    }

    /// The designator grammar; `nil` if it does not match the whole text.
    private static func parseDesignators(_ bytes: [UInt8], from start: Int) -> DurationValue? {
        var index = start
        var parts = Components()
        func number(_ designator: UInt8) -> String? {
            var end = index
            while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
            guard end > index else { return nil }
            if end < bytes.count, bytes[end] == UInt8(ascii: ",") || bytes[end] == UInt8(ascii: ".") {
                var fractionEnd = end + 1
                while fractionEnd < bytes.count, (0x30...0x39).contains(bytes[fractionEnd]) { fractionEnd += 1 }
                if fractionEnd > end + 1 { end = fractionEnd }
            }
            guard end < bytes.count, bytes[end] == designator else { return nil }
            let text = String(decoding: bytes[index..<end], as: UTF8.self)
                .replacingOccurrences(of: ",", with: ".")
            index = end + 1
            return text
        }
        func decimal(_ text: String) -> DecimalNumber? {
            Array(text.utf8).withUnsafeBufferPointer { PythonNumberSyntax.parseDecimal($0) }
        }
        if let text = number(UInt8(ascii: "Y")) { parts.years = decimal(text) }
        if let text = number(UInt8(ascii: "M")) { parts.months = decimal(text) }
        if let text = number(UInt8(ascii: "W")) { parts.weeks = Double(text) ?? 0 }
        if let text = number(UInt8(ascii: "D")) { parts.days = Double(text) ?? 0 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "T") {
            index += 1
            if let text = number(UInt8(ascii: "H")) { parts.hours = Double(text) ?? 0 }
            if let text = number(UInt8(ascii: "M")) { parts.minutes = Double(text) ?? 0 }
            if let text = number(UInt8(ascii: "S")) { parts.seconds = Double(text) ?? 0 }
        }
        guard index == bytes.count else { return nil }
        guard let micros = TimedeltaArithmetic.micros(
            days: parts.days, seconds: parts.seconds, minutes: parts.minutes,
            hours: parts.hours, weeks: parts.weeks) else { return nil }
        let years = parts.years ?? DecimalNumber()
        let months = parts.months ?? DecimalNumber()
        if years.compare(DecimalNumber()) == 0, months.compare(DecimalNumber()) == 0 {
            return DurationValue(years: nil, months: nil, micros: micros)
        }
        return DurationValue(years: years, months: months, micros: micros)
    }

    /// `PYYYY-MM-DDThh:mm:ss` / `PYYYYMMDDThhmmss`, read as a datetime whose fields become
    /// the duration's parts (so the year must be at least 1 and the date must exist).
    private static func parseAlternative(_ rest: [UInt8]) -> DurationValue? {
        let text = String(decoding: rest, as: UTF8.self)
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let date = parts[0].filter { $0 != "-" }, time = parts[1].filter { $0 != ":" }
        let extended = parts[0].count == 10 && parts[1].count == 8
        let basic = parts[0].count == 8 && parts[1].count == 6 && date.count == 8
        guard extended || basic, date.count == 8, time.count == 6,
              date.allSatisfy(\.isASCIIDigitCharacter), time.allSatisfy(\.isASCIIDigitCharacter),
              !extended || (Array(parts[0])[4] == "-" && Array(parts[0])[7] == "-"
                            && Array(parts[1])[2] == ":" && Array(parts[1])[5] == ":")
        else { return nil }
        let digits = Array(date + time).map { Int($0.asciiValue! - 0x30) }
        func value(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
        let (year, month, day) = (value(0..<4), value(4..<6), value(6..<8))
        let (hour, minute, second) = (value(8..<10), value(10..<12), value(12..<14))
        guard GregorianCalendar.isValid(year: year, month: month, day: day),
              hour < 24, minute < 60, second < 60 else { return nil }
        let micros = Int128(((day * 24 + hour) * 60 + minute) * 60 + second) * 1_000_000
        return DurationValue(years: DecimalNumber(Int64(year)), months: DecimalNumber(Int64(month)),
                             micros: micros)
    }
}

private extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
