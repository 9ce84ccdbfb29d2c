/// A wall-clock time of day, 00:00:00 through 23:59:59 plus a fraction of a second, with
/// no date and no time zone.
///
/// The fraction is kept as the decimal digits that denote it (`"250"` for a quarter of a
/// second), because the three readers of times in Sluice show fractions differently and
/// each must keep doing so:
///
/// - ISO text in processing plans keeps the fraction **as written** (`08:30:05.250` stays
///   `.250`; any number of digits) — build with ``init(hour:minute:second:fractionDigits:)``;
/// - Python's `isoformat` shows **six digits when the microsecond is not zero**
///   (`10:30:00.500000`) — build with ``init(microsecondsSinceMidnight:)`` or
///   ``init(hour:minute:second:microsecond:)``;
/// - Excel cells show **three digits when the millisecond is not zero**
///   (`08:30:00.500`) — build with ``init(millisecondsSinceMidnight:)``.
///
/// ``description`` then writes `HH:MM:SS` followed by `.` and the digits when there are
/// any. Equality and hashing compare the digits as written, so `.25` and `.250` differ;
/// compare ``microsecondsSinceMidnight`` for the instant-of-day. A leap second (second 60)
/// is not representable, as in Python.
public struct TimeOfDay: Sendable, Hashable, CustomStringConvertible {
    /// The hour, 0 through 23.
    public let hour: Int
    /// The minute, 0 through 59.
    public let minute: Int
    /// The second, 0 through 59.
    public let second: Int
    /// The ASCII decimal digits of the fraction of a second, without the dot; empty for a
    /// whole second.
    public let fractionDigits: String

    /// 00:00:00.
    public static let midnight = TimeOfDay(uncheckedHour: 0, minute: 0, second: 0, fractionDigits: "")

    /// Creates a time, or `nil` when a field is out of range or `fractionDigits` holds
    /// anything but ASCII digits. The fraction is kept exactly as given (any length).
    public init?(hour: Int, minute: Int, second: Int = 0, fractionDigits: String = "") {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
              fractionDigits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        self.init(uncheckedHour: hour, minute: minute, second: second, fractionDigits: fractionDigits)
    }

    /// Creates a time with a microsecond (0–999,999) shown as Python shows it: six digits
    /// when not zero, none otherwise. `nil` when a field is out of range.
    public init?(hour: Int, minute: Int, second: Int, microsecond: Int) {
        guard (0...999_999).contains(microsecond) else { return nil }
        self.init(hour: hour, minute: minute, second: second,
                  fractionDigits: TimeOfDay.fractionDigits(microsecond: microsecond))
    }

    /// Creates the time `micros` microseconds after midnight (six fraction digits when
    /// not a whole second), or `nil` outside `0..<86_400_000_000`.
    public init?(microsecondsSinceMidnight micros: Int64) {
        guard micros >= 0, micros < GregorianCalendar.microsecondsPerDay else { return nil }
        let seconds = Int(micros / 1_000_000)
        self.init(uncheckedHour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60,
                  fractionDigits: TimeOfDay.fractionDigits(microsecond: Int(micros % 1_000_000)))
    }

    /// Creates the time `milliseconds` after midnight (three fraction digits when not a
    /// whole second, as Excel cells show), or `nil` outside `0..<86_400_000`.
    public init?(millisecondsSinceMidnight milliseconds: Int) {
        guard milliseconds >= 0, milliseconds < 86_400_000 else { return nil }
        let seconds = milliseconds / 1000
        let fraction = milliseconds % 1000
        self.init(uncheckedHour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60,
                  fractionDigits: fraction == 0 ? "" : ISOText.padded(fraction, 3))
    }

    /// Creates a time from fields the caller has already validated.
    init(uncheckedHour hour: Int, minute: Int, second: Int, fractionDigits: String) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.fractionDigits = fractionDigits
    }

    /// Six digits for a non-zero microsecond, none for zero (Python's `isoformat`).
    static func fractionDigits(microsecond: Int) -> String {
        microsecond == 0 ? "" : ISOText.padded(microsecond, 6)
    }

    /// The microsecond, 0–999,999: the first six fraction digits, padded with zeros on the
    /// right; further digits are truncated (as `dateutil` and `%f` do).
    public var microsecond: Int {
        var value = 0
        var count = 0
        for byte in fractionDigits.utf8 {
            guard count < 6 else { break }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            count += 1
        }
        while count < 6 {
            value *= 10
            count += 1
        }
        return value
    }

    /// Whole seconds since midnight, 0 through 86,399.
    public var secondsSinceMidnight: Int {
        (hour * 60 + minute) * 60 + second
    }

    /// Microseconds since midnight, with the fraction truncated to microseconds.
    public var microsecondsSinceMidnight: Int64 {
        Int64(secondsSinceMidnight) * 1_000_000 + Int64(microsecond)
    }

    /// `HH:MM:SS`, followed by `.` and ``fractionDigits`` when there are any.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(9 + fractionDigits.utf8.count)
        appendISO(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``description``'s bytes to `bytes`.
    public func appendISO(to bytes: inout [UInt8]) {
        ISOText.appendPadded(hour, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        ISOText.appendPadded(minute, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        ISOText.appendPadded(second, 2, to: &bytes)
        if !fractionDigits.isEmpty {
            bytes.append(UInt8(ascii: "."))
            bytes.append(contentsOf: fractionDigits.utf8)
        }
    }
}
