/// A fixed offset from UTC, east positive, strictly between −24 and +24 hours, to the
/// microsecond (Python's `timezone(timedelta(...))`, which is what `%z` and ISO offsets
/// produce).
///
/// Offsets are written two ways:
///
/// - ``description`` is the ISO form Sluice cells use: `Z` for zero, otherwise
///   `±HH:MM`, with `:SS` and `.ffffff` only when present (Python's `isoformat`, but `Z`
///   for zero);
/// - ``compactDescription`` is strftime's `%z`: `±HHMM[SS[.ffffff]]`, `+0000` for zero.
///
/// A fixed offset is also the simplest time zone: it conforms to ``TimeZoneRules`` with
/// the same offset at every instant.
public struct UTCOffset: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The offset in microseconds, east of UTC positive.
    public let microseconds: Int64

    /// UTC itself.
    public static let zero = UTCOffset(uncheckedMicroseconds: 0)

    /// Creates an offset, or `nil` unless it is strictly between −24 and +24 hours.
    public init?(microseconds: Int64) {
        guard microseconds.magnitude < UInt64(GregorianCalendar.microsecondsPerDay) else { return nil }
        self.init(uncheckedMicroseconds: microseconds)
    }

    /// Creates an offset of whole seconds, or `nil` unless strictly within ±24 hours.
    public init?(seconds: Int) {
        guard seconds.magnitude < UInt(GregorianCalendar.secondsPerDay) else { return nil }
        self.init(uncheckedMicroseconds: Int64(seconds) * 1_000_000)
    }

    /// Creates an offset of whole minutes, or `nil` unless strictly within ±24 hours.
    public init?(minutes: Int) {
        guard minutes.magnitude < 1_440 else { return nil }
        self.init(uncheckedMicroseconds: Int64(minutes) * 60_000_000)
    }

    /// Creates an offset the caller has already range-checked.
    init(uncheckedMicroseconds microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// The offset in whole seconds, truncated towards zero.
    public var seconds: Int {
        Int(microseconds / 1_000_000)
    }

    /// The ISO form: `Z`, `+05:30`, `-01:00:30`, `+00:00:00.500000`.
    public var description: String {
        var bytes: [UInt8] = []
        ISOText.appendOffset(microseconds: microseconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// strftime's `%z`: `+0530`, `-010030`, `+000000.500000`; `+0000` for zero.
    public var compactDescription: String {
        var bytes: [UInt8] = [microseconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")]
        var rest = microseconds.magnitude
        let fraction = Int(rest % 1_000_000)
        rest /= 1_000_000
        let seconds = Int(rest % 60)
        rest /= 60
        ISOText.appendPadded(Int(rest / 60), 2, to: &bytes)
        ISOText.appendPadded(Int(rest % 60), 2, to: &bytes)
        if seconds != 0 || fraction != 0 {
            ISOText.appendPadded(seconds, 2, to: &bytes)
        }
        if fraction != 0 {
            bytes.append(UInt8(ascii: "."))
            ISOText.appendPadded(fraction, 6, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Orders offsets from west to east.
    public static func < (lhs: UTCOffset, rhs: UTCOffset) -> Bool {
        lhs.microseconds < rhs.microseconds
    }
}

/// A fixed offset as a time zone without transitions.
extension UTCOffset: TimeZoneRules {
    /// The offset in whole seconds, whatever the instant.
    public func offsetSeconds(at instant: Int) -> Int {
        seconds
    }
}
