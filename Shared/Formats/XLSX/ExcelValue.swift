/// How Excel stores numbers, and how they become cell text; dates are `ExcelSerialDate`.
///
/// A spreadsheet stores every number, date and time as a double; only the cell's
/// number format says that 45352.354 is "2024-03-01 08:30". `XLSXStyles` reads the
/// formats; `ExcelSerialDate` (CivilTime) turns date serials into text.
public enum ExcelValue {
    /// The text of a number as stored in `<v>`: integral values up to 2^53 (where a
    /// double is still exact) as plain integers (`3`, not `3.0`; `1E+2` is `100`),
    /// others in the shortest form that reads back to the same double (`0.1`,
    /// `1e-05`, `1e+20`). Text that is not a number is kept as is.
    public static func number(_ text: String) -> String {
        if isPlainInteger(text) { return text }
        guard let value = Double(text), value.isFinite else { return text }
        if value == value.rounded(.towardZero), abs(value) <= 9_007_199_254_740_992 { // 2^53: exact
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// Whether `text` is already a canonical integer: optional `-`, no leading zero,
    /// at most 15 digits (so it is exact as a double).
    private static func isPlainInteger(_ text: String) -> Bool {
        var utf8 = text.utf8[...]
        if utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
        guard let first = utf8.first, utf8.count <= 15 else { return false }
        if first == UInt8(ascii: "0") { return utf8.count == 1 && text.utf8.count == 1 }
        return utf8.allSatisfy { $0 &- UInt8(ascii: "0") < 10 }
    }

}
