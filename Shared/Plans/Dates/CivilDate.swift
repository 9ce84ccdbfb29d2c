import Contracts
import Tabular
/// A proleptic Gregorian calendar date without a time zone, the form dates take in Sluice
/// cells (`"2024-03-01"`).
///
/// Dates travel through the pipeline as ISO 8601 text, so this type exists only to read,
/// check and write that text, and to do day arithmetic, without Foundation or a calendar
/// object (both are slow per row and locale-sensitive).
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1 through 9999.
    public let year: Int
    /// The month, 1 through 12.
    public let month: Int
    /// The day of the month, 1 through the month's length.
    public let day: Int

    /// Creates a date, or `nil` when the fields do not name a real day (`2023-02-29`).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads `YYYY-MM-DD`, optionally followed by a time part (`T…` or ` …`) that is ignored,
    /// so the date of an ISO datetime can be taken directly. Returns `nil` for anything else.
    public init?(iso text: String) {
        let fields = text.utf8.withContiguousStorageIfAvailable { CivilDate.isoFields($0) }
            ?? CivilDate.isoFields(Array(text.utf8))
        guard let fields else { return nil }
        self.init(year: fields.year, month: fields.month, day: fields.day)
    }

    /// The fields of `YYYY-MM-DD` at the start of `bytes`, which must end there or continue
    /// with `T` or a space.
    static func isoFields<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> (year: Int, month: Int, day: Int)?
    where Bytes.Index == Int {
        guard bytes.count >= 10, bytes.count == 10 || bytes[bytes.startIndex + 10] == UInt8(ascii: "T")
            || bytes[bytes.startIndex + 10] == UInt8(ascii: " ")
        else { return nil }
        let start = bytes.startIndex
        guard bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
              let year = digits(bytes, start, 4), let month = digits(bytes, start + 5, 2),
              let day = digits(bytes, start + 8, 2)
        else { return nil }
        return (year, month, day)
    }

    /// Creates the date that is `days` days after 1970-01-01 (negative before it), or `nil`
    /// outside years 1–9999.
    public init?(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day)
    }

    /// Days since 1970-01-01 (negative before it); differences give day counts.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The ISO form, `YYYY-MM-DD`.
    public var description: String {
        // Ten ASCII bytes fit a small string: no heap allocation per formatted date.
        String(unsafeUninitializedCapacity: 10) { buffer in
            CivilDate.write(year, width: 4, into: buffer, at: 0)
            buffer[4] = UInt8(ascii: "-")
            CivilDate.write(month, width: 2, into: buffer, at: 5)
            buffer[7] = UInt8(ascii: "-")
            CivilDate.write(day, width: 2, into: buffer, at: 8)
            return 10
        }
    }

    /// Writes `value` as `width` zero-padded digits (the value must fit).
    static func write(_ value: Int, width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var remaining = value
        for position in stride(from: offset + width - 1, through: offset, by: -1) {
            buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        }
    }

    /// Orders dates chronologically.
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Whole calendar months from `self` to `other`, counting a month only once its day is
    /// reached (2024-01-31 → 2024-02-29 is 0 months); negative when `other` is earlier.
    public func months(to other: CivilDate) -> Int {
        if other < self { return -other.months(to: self) }
        var months = (other.year - year) * 12 + (other.month - month)
        if other.day < day { months -= 1 }
        return months
    }

    /// The number of days in a month of a year.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Reads exactly `count` ASCII digits starting at `start`.
    static func digits<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ start: Int, _ count: Int) -> Int?
    where Bytes.Index == Int {
        guard start >= bytes.startIndex, start + count <= bytes.endIndex else { return nil }
        var value = 0
        for index in start..<start + count {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
