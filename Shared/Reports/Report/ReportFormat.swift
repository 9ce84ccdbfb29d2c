import Contracts
import Tabular
import Foundation

/// Number and cell formatting shared by the PDF report and callers building KPI tiles.
///
/// Output is locale-independent and deterministic: `,` groups thousands, `.` is the decimal
/// point, and the same number always prints the same way.
public enum ReportFormat {
    /// A whole number with thousands separators: `1234567` → `"1,234,567"`.
    public static func integer(_ value: Int) -> String {
        grouped(String(value.magnitude), negative: value < 0)
    }

    /// A number for tables and tiles, with precision that suits its size:
    /// integral values print as integers (`1,204`), others with up to 3 decimals below 1,
    /// 2 below 1,000 and 1 above (trailing zeros dropped: `81.5`, `0.125`, `12,345.7`);
    /// magnitudes from 10¹⁵ and non-zero ones below 0.001 use scientific notation
    /// (`1.23e+16`). NaN and infinities print as `nan`, `inf`, `-inf`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let magnitude = abs(value)
        if magnitude >= 1e15 || (magnitude > 0 && magnitude < 0.001) {
            return String(format: "%.3g", value)
        }
        if value == value.rounded() { return integer(Int(value)) }
        let decimals = magnitude < 1 ? 3 : magnitude < 1_000 ? 2 : 1
        var text = String(format: "%.\(decimals)f", magnitude)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        let parts = text.split(separator: ".", maxSplits: 1)
        let whole = grouped(String(parts[0]), negative: value < 0 && text != "0")
        return parts.count > 1 ? whole + "." + parts[1] : whole
    }

    /// A share in [0, 1] as a percentage with one decimal: `0.9734` → `"97.3%"`.
    public static func percent(_ share: Double) -> String {
        guard share.isFinite else { return "–" }
        return String(format: "%.1f%%", share * 100)
    }

    /// A cell as text for a table: numbers via `number(_:)`, integers grouped, text as is,
    /// booleans as `true`/`false`, null as an em dash.
    public static func cell(_ value: CellValue) -> String {
        switch value {
        case .null: "—"
        case .integer(let number): number.magnitude < UInt64(Int.max) ? integer(Int(number)) : String(number)
        case .number(let number): self.number(number)
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        }
    }

    /// Text made safe for one line of the report: line breaks, tabs and other control
    /// characters become spaces (the toy text API draws no line breaks, and a NUL would end
    /// the C string early).
    static func singleLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return text
        }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        return String(scalars)
    }

    /// Digits with `,` every three places from the right, and a leading `-` if negative.
    private static func grouped(_ digits: String, negative: Bool) -> String {
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return negative ? "-" + result : result
    }
}
