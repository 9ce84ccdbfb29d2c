/// The shared strings table of a workbook (`xl/sharedStrings.xml`).
///
/// Cells of type `s` hold an index into this table instead of their text. Excel
/// writes almost all text this way, so the table is read once, streamed through the
/// tokenizer, and held in memory for the sheet pass, bounded by
/// `FormatLimits.maxSharedStringsBytes`. Rich text (`<r><t>…</t></r>` runs) is
/// concatenated; phonetic guides (`<rPh>`, Japanese furigana) are left out, as Excel
/// shows them only on request.
struct XLSXSharedStrings: Sendable {
    /// The strings by index.
    private(set) var strings: [String] = []

    /// Streams and parses the table at `path`.
    static func load(from package: XLSXPackage, path: String) throws(FormatError) -> XLSXSharedStrings {
        let limits = package.limits
        var handler = Handler(limits: limits, part: path)
        var tokenizer = XMLTokenizer(part: path, maxTokenBytes: limits.maxRecordBytes)
        try package.stream(path) { (data) throws(FormatError) in
            try tokenizer.feed(data, into: &handler)
        }
        try tokenizer.finish(into: &handler)
        var table = XLSXSharedStrings()
        table.strings = handler.strings
        return table
    }

    /// Collects `<si>` items.
    private struct Handler: XMLHandler {
        let limits: FormatLimits
        let part: String
        var strings: [String] = []
        var current = ""
        var inItem = false
        var inText = false
        var inPhonetic = false
        var bytes = 0

        init(limits: FormatLimits, part: String) {
            self.limits = limits
            self.part = part
        }

        var wantsText: Bool { inText && !inPhonetic }

        mutating func start(_ tag: XMLTag) throws(FormatError) {
            if tag.named("si") {
                inItem = true
                current = ""
            } else if tag.named("t") {
                inText = inItem
            } else if tag.named("rPh") {
                inPhonetic = true
            }
        }

        mutating func end(_ tag: XMLTag) throws(FormatError) {
            if tag.named("t") {
                inText = false
            } else if tag.named("rPh") {
                inPhonetic = false
            } else if tag.named("si") {
                inItem = false
                let length = current.utf8.count
                guard length <= limits.maxFieldBytes else {
                    throw FormatError(.fieldTooLong, message: "Shared string \(strings.count + 1) "
                        + "of the workbook is longer than the limit of \(limits.maxFieldBytes) "
                        + "bytes. Shorten the cell or raise the field size limit.")
                }
                bytes += length + 16
                guard bytes <= limits.maxSharedStringsBytes else {
                    throw FormatError(.xlsxTooLarge, message: "The workbook's shared strings take "
                        + "more than \(limits.maxSharedStringsBytes) bytes. Export the sheet as "
                        + "CSV, or raise the shared strings limit.")
                }
                strings.append(current)
                current = ""
            }
        }

        mutating func text(_ text: String) throws(FormatError) {
            current += text
        }
    }
}
