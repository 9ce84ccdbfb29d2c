/// The parts of a workbook that say where its sheets are and how to read them.
///
/// Resolved the way Excel does: `_rels/.rels` names the workbook part (usually
/// `xl/workbook.xml`); the workbook lists the sheets in tab order with a
/// relationship id each, and `xl/_rels/workbook.xml.rels` maps those ids (and the
/// shared strings and styles) to part paths.
struct XLSXWorkbook: Sendable {
    /// One sheet of the workbook, in tab order.
    struct Sheet: Sendable, Hashable {
        /// The name on the sheet's tab.
        var name: String
        /// The zip path of the sheet's part (nil when the relationship is missing).
        var path: String?
        /// Whether it is a worksheet (not a chart sheet or dialog sheet).
        var isWorksheet: Bool
    }

    /// The sheets in tab order.
    var sheets: [Sheet] = []
    /// Whether dates count from 1904-01-01 (old Mac workbooks) instead of 1900.
    var date1904 = false
    /// The shared strings part, if any.
    var sharedStringsPath: String?
    /// The styles part, if any.
    var stylesPath: String?

    /// Reads the workbook structure from `package`.
    static func load(from package: XLSXPackage) throws(FormatError) -> XLSXWorkbook {
        var workbookPath = "xl/workbook.xml"
        if let rootRels = try package.read("_rels/.rels") {
            let rels = try relationships(rootRels, part: "_rels/.rels", base: "")
            if let office = rels.values.first(where: { $0.type.hasSuffix("/officeDocument") }) {
                workbookPath = office.target
            }
        }
        guard let workbookBytes = try package.read(workbookPath) else {
            throw FormatError(.xlsxInvalid, message: "The file is a zip archive but not an Excel "
                + "workbook (it has no \(workbookPath)). Save it from Excel as \"Excel Workbook (.xlsx)\".")
        }
        let directory = workbookPath.split(separator: "/").dropLast().joined(separator: "/")
        let fileName = workbookPath.split(separator: "/").last.map(String.init) ?? "workbook.xml"
        let relsPath = (directory.isEmpty ? "" : directory + "/") + "_rels/" + fileName + ".rels"
        var rels: [String: (type: String, target: String)] = [:]
        if let relsBytes = try package.read(relsPath) {
            rels = try relationships(relsBytes, part: relsPath, base: directory)
        }

        var handler = WorkbookHandler()
        var tokenizer = XMLTokenizer(part: workbookPath, maxTokenBytes: max(workbookBytes.count, 1))
        try tokenizer.feed(workbookBytes, into: &handler)
        try tokenizer.finish(into: &handler)

        var workbook = XLSXWorkbook()
        workbook.date1904 = handler.date1904
        workbook.sheets = handler.sheets.map { name, id in
            let rel = id.flatMap { rels[$0] }
            return Sheet(name: name, path: rel?.target, isWorksheet: rel?.type.hasSuffix("/worksheet") ?? false)
        }
        workbook.sharedStringsPath = rels.values.first { $0.type.hasSuffix("/sharedStrings") }?.target
            ?? (package.contains("xl/sharedStrings.xml") ? "xl/sharedStrings.xml" : nil)
        workbook.stylesPath = rels.values.first { $0.type.hasSuffix("/styles") }?.target
            ?? (package.contains("xl/styles.xml") ? "xl/styles.xml" : nil)
        return workbook
    }

    /// Parses a relationships part into id → (type, resolved target path).
    private static func relationships(
        _ bytes: [UInt8], part: String, base: String
    ) throws(FormatError) -> [String: (type: String, target: String)] {
        var handler = RelationshipsHandler()
        var tokenizer = XMLTokenizer(part: part, maxTokenBytes: max(bytes.count, 1))
        try tokenizer.feed(bytes, into: &handler)
        try tokenizer.finish(into: &handler)
        var result: [String: (type: String, target: String)] = [:]
        for (id, type, target) in handler.relationships {
            result[id] = (type, resolve(target, base: base))
        }
        return result
    }

    /// Resolves a relationship target against the directory of its source part.
    static func resolve(_ target: String, base: String) -> String {
        var segments: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for segment in target.split(separator: "/") {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/")
    }

    private struct RelationshipsHandler: XMLHandler {
        var relationships: [(String, String, String)] = []
        var wantsText: Bool { false }
        mutating func start(_ tag: XMLTag) throws(FormatError) {
            guard tag.named("Relationship"), let id = tag.attribute("Id"),
                  let target = tag.attribute("Target") else { return }
            if tag.attribute("TargetMode") == "External" { return }
            relationships.append((id, tag.attribute("Type") ?? "", target))
        }
        mutating func end(_ tag: XMLTag) throws(FormatError) {}
        mutating func text(_ text: String) throws(FormatError) {}
    }

    private struct WorkbookHandler: XMLHandler {
        var sheets: [(String, String?)] = []
        var date1904 = false
        var wantsText: Bool { false }
        mutating func start(_ tag: XMLTag) throws(FormatError) {
            if tag.named("sheet"), let name = tag.attribute("name") {
                sheets.append((name, tag.attribute("id")))
            } else if tag.named("workbookPr"), let value = tag.attribute("date1904") {
                date1904 = value == "1" || value.lowercased() == "true"
            }
        }
        mutating func end(_ tag: XMLTag) throws(FormatError) {}
        mutating func text(_ text: String) throws(FormatError) {}
    }
}
