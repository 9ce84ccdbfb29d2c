import CivilTime
import Foundation

/// Which cell styles of a workbook display numbers as dates or times.
///
/// Read from `xl/styles.xml`: each cell's `s` attribute indexes `<cellXfs>`, whose
/// `numFmtId` is either built in or defined in `<numFmts>`. Built-in date formats are
/// 14–22 and 45–47; a custom format is a date format when its first section has
/// date or time tokens (`d`, `m`, `y`, `h`, `s`) outside quoted text, escapes and
/// brackets. Elapsed-time formats (`[h]:mm`) are durations, not dates, and stay
/// numbers.
public struct XLSXStyles: Sendable {
    /// The date kind of each cell style, `nil` for non-date styles.
    private(set) var kinds: [ExcelSerialDate.Kind?] = []

    /// A workbook without styles: every number is a number.
    public static let none = XLSXStyles()

    /// The date kind of style `index`, if it is a date style.
    @inline(__always)
    public func dateKind(style index: Int) -> ExcelSerialDate.Kind? {
        index >= 0 && index < kinds.count ? kinds[index] : nil
    }

    /// Reads `styles.xml`.
    public static func parse(_ bytes: [UInt8], part: String) throws(FormatError) -> XLSXStyles {
        var handler = Handler()
        var tokenizer = XMLTokenizer(part: part, maxTokenBytes: max(bytes.count, 1))
        try tokenizer.feed(bytes, into: &handler)
        try tokenizer.finish(into: &handler)
        var styles = XLSXStyles()
        styles.kinds = handler.formatIDs.map { id in
            if let code = handler.customFormats[id] { return kind(ofFormat: code) }
            return builtInKind(id)
        }
        return styles
    }

    /// The kind of a built-in number format.
    public static func builtInKind(_ id: Int) -> ExcelSerialDate.Kind? {
        switch id {
        case 14...17: .date
        case 18...21, 45...47: .time
        case 22: .dateTime
        default: nil
        }
    }

    /// The kind of a custom format code such as `yyyy-mm-dd hh:mm`.
    public static func kind(ofFormat code: String) -> ExcelSerialDate.Kind? {
        var hasDate = false
        var hasTime = false
        var hasM = false
        var characters = code.lowercased()
            .replacingOccurrences(of: "am/pm", with: "")
            .replacingOccurrences(of: "a/p", with: "")[...]
        while let character = characters.popFirst() {
            switch character {
            case ";":
                characters = ""
            case "\"":
                while let next = characters.popFirst(), next != "\"" {}
            case "\\", "_", "*":
                _ = characters.popFirst()
            case "[":
                var inside = ""
                while let next = characters.popFirst(), next != "]" { inside.append(next) }
                if ["h", "hh", "m", "mm", "s", "ss"].contains(inside) { return nil }
            case "y", "d":
                hasDate = true
            case "h", "s":
                hasTime = true
            case "m":
                hasM = true
            default:
                break
            }
        }
        if hasM, !hasTime { hasDate = true }
        switch (hasDate, hasTime) {
        case (true, true): return .dateTime
        case (true, false): return .date
        case (false, true): return .time
        case (false, false): return nil
        }
    }

    /// Collects `<numFmt>` definitions and the `numFmtId` of each `<cellXfs>` entry.
    private struct Handler: XMLHandler {
        var customFormats: [Int: String] = [:]
        var formatIDs: [Int] = []
        var inCellXfs = false

        var wantsText: Bool { false }

        mutating func start(_ tag: XMLTag) throws(FormatError) {
            if tag.named("numFmt") {
                if let id = tag.attribute("numFmtId").flatMap({ Int($0) }),
                   let code = tag.attribute("formatCode") {
                    customFormats[id] = code
                }
            } else if tag.named("cellXfs") {
                inCellXfs = true
            } else if inCellXfs, tag.named("xf") {
                formatIDs.append(tag.attribute("numFmtId").flatMap { Int($0) } ?? 0)
            }
        }

        mutating func end(_ tag: XMLTag) throws(FormatError) {
            if tag.named("cellXfs") { inCellXfs = false }
        }

        mutating func text(_ text: String) throws(FormatError) {}
    }
}
