import Contracts
import Tabular
/// A date and a wall-clock time, optionally pinned to UTC, as ISO 8601 text in cells.
///
/// Casting to `datetime` produces `YYYY-MM-DDTHH:MM:SS`, with the fraction of a second kept
/// as written (`…:05.250`). A value read with a zone (`Z`, `+02:00`) is converted to UTC and
/// written with a `Z`; a value without one stays a local ("naive") time without a suffix,
/// because inventing a zone would silently shift it.
public struct CivilDateTime: Sendable, Hashable, CustomStringConvertible {
    /// The calendar date.
    public var date: CivilDate
    /// Hour, 0–23.
    public var hour: Int
    /// Minute, 0–59.
    public var minute: Int
    /// Second, 0–59 (a leap second 60 is rejected).
    public var second: Int
    /// The fraction-of-second digits as written, without the dot (`"250"`), or empty.
    public var fraction: String
    /// Whether the value is in UTC (it was read with a zone and converted).
    public var isUTC: Bool

    /// Creates a date-time; `nil` when the time fields are out of range.
    public init?(date: CivilDate, hour: Int, minute: Int, second: Int,
                 fraction: String = "", isUTC: Bool = false) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
        self.fraction = fraction
        self.isUTC = isUTC
    }

    /// Reads ISO 8601: `YYYY-MM-DD`, optionally `T` or a space and `HH:MM[:SS[.fff]]`,
    /// optionally `Z` or an offset `±HH:MM`, `±HHMM`, `±HH`. A bare date is midnight.
    public init?(iso text: String) {
        let parsed = text.utf8.withContiguousStorageIfAvailable { CivilDateTime.parse($0) }
            ?? CivilDateTime.parse(Array(text.utf8))
        guard let parsed else { return nil }
        self = parsed
    }

    private static func parse<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> CivilDateTime?
    where Bytes.Index == Int {
        let start = bytes.startIndex
        guard let fields = CivilDate.isoFields(bytes),
              let date = CivilDate(year: fields.year, month: fields.month, day: fields.day)
        else { return nil }
        if bytes.count == 10 { return CivilDateTime(date: date, hour: 0, minute: 0, second: 0) }
        guard bytes.count >= 16, bytes[start + 13] == UInt8(ascii: ":"),
              let hour = CivilDate.digits(bytes, start + 11, 2), let minute = CivilDate.digits(bytes, start + 14, 2)
        else { return nil }
        var index = start + 16
        var second = 0
        var fraction = ""
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: ":") {
            guard let value = CivilDate.digits(bytes, index + 1, 2) else { return nil }
            second = value
            index += 3
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                let first = index + 1
                index = first
                while index < bytes.endIndex, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                    index += 1
                }
                guard index > first else { return nil }
                fraction = String(decoding: bytes[first..<index], as: UTF8.self)
            }
        }
        guard let offset = offsetMinutes(bytes[index...]),
              let local = CivilDateTime(date: date, hour: hour, minute: minute, second: second, fraction: fraction)
        else { return nil }
        guard let offset else { return local }
        return local.shifted(byMinutes: -offset)
    }

    /// The same instant moved by `minutes` and marked as UTC; used to normalise offsets.
    func shifted(byMinutes minutes: Int) -> CivilDateTime {
        let total = date.daysSinceEpoch * 1440 + hour * 60 + minute + minutes
        let days = total >= 0 ? total / 1440 : (total - 1439) / 1440
        let within = total - days * 1440
        var result = self
        result.date = CivilDate(daysSinceEpoch: days) ?? date
        result.hour = within / 60
        result.minute = within % 60
        result.isUTC = true
        return result
    }

    /// The ISO form, `YYYY-MM-DDTHH:MM:SS[.fff][Z]`.
    public var description: String {
        let fractionBytes = fraction.utf8
        let length = 19 + (fractionBytes.isEmpty ? 0 : 1 + fractionBytes.count) + (isUTC ? 1 : 0)
        return String(unsafeUninitializedCapacity: length) { buffer in
            CivilDate.write(date.year, width: 4, into: buffer, at: 0)
            buffer[4] = UInt8(ascii: "-")
            CivilDate.write(date.month, width: 2, into: buffer, at: 5)
            buffer[7] = UInt8(ascii: "-")
            CivilDate.write(date.day, width: 2, into: buffer, at: 8)
            buffer[10] = UInt8(ascii: "T")
            CivilDate.write(hour, width: 2, into: buffer, at: 11)
            buffer[13] = UInt8(ascii: ":")
            CivilDate.write(minute, width: 2, into: buffer, at: 14)
            buffer[16] = UInt8(ascii: ":")
            CivilDate.write(second, width: 2, into: buffer, at: 17)
            var offset = 19
            if !fractionBytes.isEmpty {
                buffer[offset] = UInt8(ascii: ".")
                offset += 1
                for byte in fractionBytes {
                    buffer[offset] = byte
                    offset += 1
                }
            }
            if isUTC { buffer[offset] = UInt8(ascii: "Z") }
            return length
        }
    }

    /// Parses the zone suffix: `.some(nil)` for none, `.some(minutes)` east of UTC, `nil` if
    /// malformed.
    private static func offsetMinutes(_ rest: some Collection<UInt8>) -> Int?? {
        guard let sign = rest.first else { return .some(nil) }
        if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
            return rest.count == 1 ? .some(0) : nil
        }
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        var digits = Array(rest.dropFirst())
        if digits.count == 5, digits[2] == UInt8(ascii: ":") { digits.remove(at: 2) }
        guard digits.count == 2 || digits.count == 4,
              let hours = CivilDate.digits(digits, 0, 2), hours <= 23
        else { return nil }
        let minutes = digits.count == 4 ? CivilDate.digits(digits, 2, 2) : 0
        guard let minutes, minutes <= 59 else { return nil }
        let total = hours * 60 + minutes
        return .some(sign == UInt8(ascii: "-") ? -total : total)
    }
}
