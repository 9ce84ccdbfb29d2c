/// ISO 8601 text for dates: `YYYY-MM-DD`, read and written without Foundation.
///
/// Reading works on the UTF-8 bytes in place (no copy for native strings); writing fills
/// a ten-byte small string, so formatting a date allocates nothing.
///
/// Only the extended calendar form with exactly four year digits is read — `2024-03-01`,
/// not `20240301`, `+2024-03-01`, `2024-3-1`, week dates or ordinal dates — because that is
/// the form Sluice cells carry; readers of other layouts use a ``StrptimeFormat``.
/// Examples:
///
///     CivilDate(iso: "2024-02-29")           // 2024-02-29
///     CivilDate(iso: "2024-02-29T08:30:00Z") // 2024-02-29 (the time is not looked at)
///     CivilDate(iso: "2023-02-29")           // nil: no such day
///     CivilDate(iso: " 2024-02-29")          // nil: trim first
extension CivilDate: CustomStringConvertible {
    /// Reads `YYYY-MM-DD`, optionally followed by a time part (`T…` or ` …`) that is
    /// ignored and not checked, so the date of an ISO datetime can be taken directly
    /// (`"2024-03-01T25:99"` gives 2024-03-01). Returns `nil` for anything else,
    /// including surrounding whitespace, signs, or fewer or more than four year digits.
    public init?(iso text: String) {
        let fields = text.utf8.withContiguousStorageIfAvailable { CivilDate.isoFields($0) }
            ?? CivilDate.isoFields(Array(text.utf8))
        guard let fields else { return nil }
        self.init(year: fields.year, month: fields.month, day: fields.day)
    }

    /// Whether `text` is exactly a calendar day `YYYY-MM-DD` that exists (no time part):
    /// how a job's `runDate` is checked wherever it enters.
    public static func isDay(_ text: String) -> Bool {
        text.utf8.count == 10 && CivilDate(iso: text) != nil
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

    /// Appends ``description``'s ten bytes to `bytes`, for callers that assemble a larger
    /// text (a row, a date-time) in one buffer.
    public func appendISO(to bytes: inout [UInt8]) {
        ISOText.appendDate(year: year, month: month, day: day, to: &bytes)
    }

    /// The fields of `YYYY-MM-DD` at the start of `bytes`, which must end there or continue
    /// with `T` or a space; the fields are not validated.
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

    /// Reads exactly `count` ASCII digits starting at `start`; `nil` if any is missing or
    /// not a digit.
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

    /// Writes `value` as `width` zero-padded digits (the value must be non-negative and fit).
    static func write(_ value: Int, width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var remaining = value
        for position in stride(from: offset + width - 1, through: offset, by: -1) {
            buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        }
    }
}
