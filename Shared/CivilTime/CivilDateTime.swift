/// A calendar date and a time of day, with an optional fixed offset from UTC: Python's
/// `datetime`, naive or aware, with the fraction of a second kept as its digits.
///
/// The text form (``description``) is ISO 8601, `YYYY-MM-DDTHH:MM:SS`, then the fraction
/// as ``TimeOfDay`` holds it, then the offset as ``UTCOffset/description`` writes it
/// (`Z` for UTC, `+05:30` otherwise) when there is one. A naive value (no offset) stays a
/// local time without a suffix, because inventing a zone would silently shift it.
///
/// Read with ``init(iso:)`` (see `CivilDateTime+ISO.swift`), which — as processing-plan
/// casts always have — converts a value written with an offset to UTC; produced by
/// ``StrptimeFormat/parse(_:)`` through ``StrptimeMatch/dateTime``; written by
/// ``description`` or by ``StrptimeFormat/format(_:)`` (strftime).
public struct CivilDateTime: Sendable, Hashable, CustomStringConvertible {
    /// The calendar date.
    public var date: CivilDate
    /// The time of day.
    public var time: TimeOfDay
    /// The offset from UTC, or `nil` for a naive (local) value.
    public var offset: UTCOffset?

    /// Creates a date-time from its parts.
    public init(date: CivilDate, time: TimeOfDay = .midnight, offset: UTCOffset? = nil) {
        self.date = date
        self.time = time
        self.offset = offset
    }

    /// Creates a date-time from time fields; `nil` when they are out of range (hour 0–23,
    /// minute and second 0–59, fraction ASCII digits).
    public init?(date: CivilDate, hour: Int, minute: Int, second: Int = 0,
                 fractionDigits: String = "", offset: UTCOffset? = nil) {
        guard let time = TimeOfDay(hour: hour, minute: minute, second: second, fractionDigits: fractionDigits)
        else { return nil }
        self.init(date: date, time: time, offset: offset)
    }

    /// Whether the value is pinned to UTC (its offset is zero).
    public var isUTC: Bool {
        offset == .zero
    }

    /// The instant as microseconds since 1970-01-01T00:00:00Z, or `nil` for a naive
    /// value, which names no instant.
    public var microsecondsSinceEpoch: Int64? {
        guard let offset else { return nil }
        let local = Int64(date.daysSinceEpoch) * GregorianCalendar.microsecondsPerDay + time.microsecondsSinceMidnight
        return local - offset.microseconds
    }

    /// The ISO form, `YYYY-MM-DDTHH:MM:SS[.fff…][Z|±HH:MM…]`.
    public var description: String {
        let fractionBytes = time.fractionDigits.utf8
        // Non-zero offsets are rare; only they need their text built separately.
        var offsetBytes: [UInt8] = []
        if let offset, offset.microseconds != 0 {
            ISOText.appendOffset(microseconds: offset.microseconds, to: &offsetBytes)
        }
        let offsetLength = offset == nil ? 0 : max(1, offsetBytes.count)
        let length = 19 + (fractionBytes.isEmpty ? 0 : 1 + fractionBytes.count) + offsetLength
        return String(unsafeUninitializedCapacity: length) { buffer in
            CivilDate.write(date.year, width: 4, into: buffer, at: 0)
            buffer[4] = UInt8(ascii: "-")
            CivilDate.write(date.month, width: 2, into: buffer, at: 5)
            buffer[7] = UInt8(ascii: "-")
            CivilDate.write(date.day, width: 2, into: buffer, at: 8)
            buffer[10] = UInt8(ascii: "T")
            CivilDate.write(time.hour, width: 2, into: buffer, at: 11)
            buffer[13] = UInt8(ascii: ":")
            CivilDate.write(time.minute, width: 2, into: buffer, at: 14)
            buffer[16] = UInt8(ascii: ":")
            CivilDate.write(time.second, width: 2, into: buffer, at: 17)
            var position = 19
            if !fractionBytes.isEmpty {
                buffer[position] = UInt8(ascii: ".")
                position += 1
                for byte in fractionBytes {
                    buffer[position] = byte
                    position += 1
                }
            }
            if offset != nil {
                if offsetBytes.isEmpty {
                    buffer[position] = UInt8(ascii: "Z")
                } else {
                    for byte in offsetBytes {
                        buffer[position] = byte
                        position += 1
                    }
                }
            }
            return length
        }
    }
}
