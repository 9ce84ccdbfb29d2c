import Contracts
import Tabular

/// The parts of an XLSX package besides the worksheets: content types, relationships,
/// document properties, the workbook and the styles.
///
/// They carry no timestamps, so the same sheets always give the same bytes. Worksheet `n`
/// (1-based, in workbook order) is `xl/worksheets/sheet<n>.xml` with relationship
/// `rId<n>`; the styles are relationship `rId<count + 1>`.
enum XLSXPackageParts {
    /// The ZIP entry name of worksheet `number` (1-based).
    static func worksheetPath(_ number: Int) -> String { "xl/worksheets/sheet\(number).xml" }

    /// Every part but the worksheets, as (entry name, XML), for a workbook with `sheetNames`.
    static func parts(sheetNames: [String]) -> [(name: String, xml: String)] {
        [
            ("[Content_Types].xml", contentTypes(sheetCount: sheetNames.count)),
            ("_rels/.rels", packageRelationships),
            ("docProps/app.xml", appProperties),
            ("docProps/core.xml", coreProperties),
            ("xl/workbook.xml", workbook(sheetNames: sheetNames)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships(sheetCount: sheetNames.count)),
            ("xl/styles.xml", styles),
        ]
    }

    private static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    private static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationships = "http://schemas.openxmlformats.org/package/2006/relationships"
    private static let documentRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let spreadsheetML = "application/vnd.openxmlformats-officedocument.spreadsheetml"

    /// `[Content_Types].xml`: defaults for `.rels` and `.xml`, an override per part.
    private static func contentTypes(sheetCount: Int) -> String {
        var xml = declaration + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        xml += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        xml += #"<Default Extension="xml" ContentType="application/xml"/>"#
        xml += #"<Override PartName="/xl/workbook.xml" ContentType="\#(spreadsheetML).sheet.main+xml"/>"#
        for number in 1...max(sheetCount, 1) {
            xml += #"<Override PartName="/\#(worksheetPath(number))" ContentType="\#(spreadsheetML).worksheet+xml"/>"#
        }
        xml += #"<Override PartName="/xl/styles.xml" ContentType="\#(spreadsheetML).styles+xml"/>"#
        xml += #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
        xml += #"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#
        return xml + "</Types>"
    }

    /// `_rels/.rels`: the workbook and the two property parts.
    private static let packageRelationships = declaration + #"<Relationships xmlns="\#(relationships)">"#
        + #"<Relationship Id="rId1" Type="\#(documentRelationships)/officeDocument" Target="xl/workbook.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
        + #"<Relationship Id="rId3" Type="\#(documentRelationships)/extended-properties" Target="docProps/app.xml"/>"#
        + "</Relationships>"

    /// `docProps/app.xml`: the application name only.
    private static let appProperties = declaration
        + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#
        + #"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#
        + "<Application>Sluice</Application></Properties>"

    /// `docProps/core.xml`: the creator only; no dates, so output is reproducible.
    private static let coreProperties = declaration
        + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#
        + #"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#
        + #"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
        + "<dc:creator>Sluice</dc:creator></cp:coreProperties>"

    /// `xl/workbook.xml`: the sheets in order.
    private static func workbook(sheetNames: [String]) -> String {
        var xml = declaration + #"<workbook xmlns="\#(main)" xmlns:r="\#(documentRelationships)">"#
        xml += #"<bookViews><workbookView activeTab="0"/></bookViews><sheets>"#
        for (index, name) in sheetNames.enumerated() {
            xml += #"<sheet name="\#(attribute(name))" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
        }
        return xml + "</sheets></workbook>"
    }

    /// `xl/_rels/workbook.xml.rels`: the worksheets, then the styles.
    private static func workbookRelationships(sheetCount: Int) -> String {
        var xml = declaration + #"<Relationships xmlns="\#(relationships)">"#
        for number in 1...max(sheetCount, 1) {
            xml += #"<Relationship Id="rId\#(number)" Type="\#(documentRelationships)/worksheet" "#
                + #"Target="worksheets/sheet\#(number).xml"/>"#
        }
        xml += #"<Relationship Id="rId\#(sheetCount + 1)" Type="\#(documentRelationships)/styles" Target="styles.xml"/>"#
        return xml + "</Relationships>"
    }

    /// `xl/styles.xml`: cell format 0 is the default, format 1 uses a bold font (headers).
    private static let styles = declaration + #"<styleSheet xmlns="\#(main)">"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#
        + #"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill>"#
        + #"<fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"

    /// `text` escaped for a double-quoted XML attribute.
    private static func attribute(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
