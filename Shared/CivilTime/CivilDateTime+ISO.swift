/// Reading ISO 8601 date-times as processing-plan casts have always read them.
///
/// The grammar is deliberately small and strict (this is not `dateutil.isoparse`; the
/// validator's frictionless-compatible reader stays in the Validation module):
///
///     YYYY-MM-DD
///     YYYY-MM-DD(T| )HH:MM[:SS[(.|,)digits]][Z|z|±HH:MM|±HHMM|±HH]
///
/// A bare date is midnight. The fraction keeps every digit as written. An offset's hours
/// must be at most 23 and its minutes at most 59. A value with an offset is converted to
/// UTC and marked with a zero offset (so it is written back with `Z`); a value without
/// one stays naive.
extension CivilDateTime {
    /// Reads the ISO form above, or returns `nil` for anything else (no surrounding
    /// whitespace, no leap second, no hour 24).
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
        if bytes.count == 10 { return CivilDateTime(date: date) }
        guard bytes.count >= 16, bytes[start + 13] == UInt8(ascii: ":"),
              let hour = CivilDate.digits(bytes, start + 11, 2),
              let minute = CivilDate.digits(bytes, start + 14, 2)
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
              let time = TimeOfDay(hour: hour, minute: minute, second: second, fractionDigits: fraction)
        else { return nil }
        let local = CivilDateTime(date: date, time: time)
        guard let offset else { return local }
        return local.shiftedToUTC(byMinutes: -offset)
    }

    /// The same wall reading moved by `minutes` and marked as UTC; used to normalise
    /// offsets. Seconds and fraction are unchanged. Should the shift leave years
    /// 1–9999, the date is kept as it was while the clock still moves — a quirk kept
    /// because cast output has always behaved so (`0001-01-01T00:30+01:00` reads as
    /// `0001-01-01T23:30:00Z`).
    func shiftedToUTC(byMinutes minutes: Int) -> CivilDateTime {
        let total = date.daysSinceEpoch * 1440 + time.hour * 60 + time.minute + minutes
        let days = total >= 0 ? total / 1440 : (total - 1439) / 1440
        let within = total - days * 1440
        let shiftedTime = TimeOfDay(uncheckedHour: within / 60, minute: within % 60, second: time.second,
                                    fractionDigits: time.fractionDigits)
        return CivilDateTime(date: CivilDate(daysSinceEpoch: days) ?? date, time: shiftedTime, offset: .zero)
    }

    /// Parses the zone suffix: `.some(nil)` for none, `.some(minutes)` east of UTC, `nil`
    /// if malformed.
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
