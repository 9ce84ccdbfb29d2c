/// Byte-level writers of ISO 8601 dates, times and offsets, for code that formats a value
/// per cell.
///
/// Formatting goes through byte arrays because building canonical dates with `String`
/// concatenation dominated the cost of reading date columns in the validator; these
/// functions append to a caller-owned `[UInt8]` (reserve capacity once) and are
/// `@inlinable` so the per-cell loop can specialise them across the module boundary.
///
/// The forms are the ones Python's `isoformat` produces, with `Z` for a zero offset:
/// `YYYY-MM-DD`, `HH:MM:SS[.ffffff]`, `±HH:MM[:SS[.ffffff]]`.
public enum ISOText {
    /// Zero-padded decimal text of at least `width` digits (`4` → `"0004"`); a negative
    /// value gets a leading `-` before the padding (`-5`, width 2 → `"-05"`).
    @inlinable
    public static func padded(_ value: Int, _ width: Int) -> String {
        var bytes: [UInt8] = []
        appendPadded(value, width, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` with at least `width` digits (see ``padded(_:_:)``).
    @inlinable
    public static func appendPadded(_ value: Int, _ width: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // Digits are produced last-first into a fixed tuple: no intermediate allocation.
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for _ in count..<max(count, width) { bytes.append(0x30) }
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// Appends `YYYY-MM-DD` (fields as given, not validated).
    @inlinable
    public static func appendDate(year: Int, month: Int, day: Int, to bytes: inout [UInt8]) {
        appendPadded(year, 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(month, 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendPadded(day, 2, to: &bytes)
    }

    /// Appends `YYYY-MM-DD` for a Python ordinal; appends nothing when the ordinal is
    /// outside 0001-01-01…9999-12-31.
    @inlinable
    public static func appendDate(ordinal: Int, to bytes: inout [UInt8]) {
        guard let date = GregorianCalendar.date(fromOrdinal: ordinal) else { return }
        appendDate(year: date.year, month: date.month, day: date.day, to: &bytes)
    }

    /// Appends `HH:MM:SS`, with `.ffffff` when the microseconds are not a whole second,
    /// for `micros` microseconds since midnight (not range-checked).
    @inlinable
    public static func appendTime(microseconds micros: Int64, to bytes: inout [UInt8]) {
        let fraction = Int(micros % 1_000_000)
        let seconds = Int(micros / 1_000_000)
        appendPadded(seconds / 3600, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(seconds / 60 % 60, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(seconds % 60, 2, to: &bytes)
        if fraction != 0 {
            bytes.append(UInt8(ascii: "."))
            appendPadded(fraction, 6, to: &bytes)
        }
    }

    /// Appends an ISO UTC offset: `Z`, `+05:30`, `-01:00:30`, with seconds and fractions
    /// only when present (as Python's `isoformat` does, but `Z` for zero).
    @inlinable
    public static func appendOffset(microseconds micros: Int64, to bytes: inout [UInt8]) {
        if micros == 0 { bytes.append(UInt8(ascii: "Z")); return }
        bytes.append(micros < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        var rest = micros.magnitude
        let fraction = Int(rest % 1_000_000); rest /= 1_000_000
        let seconds = Int(rest % 60); rest /= 60
        let minutes = Int(rest % 60)
        let hours = Int(rest / 60)
        appendPadded(hours, 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendPadded(minutes, 2, to: &bytes)
        if seconds != 0 || fraction != 0 {
            bytes.append(UInt8(ascii: ":"))
            appendPadded(seconds, 2, to: &bytes)
        }
        if fraction != 0 {
            bytes.append(UInt8(ascii: "."))
            appendPadded(fraction, 6, to: &bytes)
        }
    }
}
