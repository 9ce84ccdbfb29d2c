#!/usr/bin/env python3
"""Generates the committed test fixtures of the Formats package.

Run from anywhere: `python3 make_fixtures.py` writes next to this script. Needs
openpyxl for the spreadsheets made the way real tools make them; the other
workbooks are written by hand (raw XML in a zip) to cover what openpyxl never
writes: cached formula values, inline and rich strings, phonetic runs, sparse
cells, row gaps, namespace prefixes, chart sheets, the 1904 date system and zip
bombs. Outputs are deterministic except for openpyxl's document timestamps.
"""
import datetime
import os
import struct
import zipfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def write_bytes(name, data):
    with open(path(name), "wb") as handle:
        handle.write(data)


# --- Text formats -----------------------------------------------------------

def make_text_fixtures():
    # JSON Lines: BOM, CRLF, blank lines, key order changes, missing/extra keys.
    jsonl = (
        '{"student_id": "S001", "name": "Zoë Ålund", "grade": 91.50, "passed": true, "tags": ["a", "b"]}\r\n'
        '\r\n'
        '{"name": "Jean-Luc \\u00c9mile", "student_id": "S002", "grade": 7.5e1, "passed": false}\r\n'
        '   \r\n'
        '{"student_id": "S003", "name": "\\ud83d\\ude00 Smiley", "grade": null, "passed": true, "tags": [], "note": "late"}\r\n'
    )
    write_bytes("students.jsonl", b"\xef\xbb\xbf" + jsonl.encode("utf-8"))

    # A JSON array, pretty-printed the way most tools export.
    array = """[
  {
    "id": 1,
    "title": "Caf\\u00e9 \\"quoted\\" \\\\ slash\\/",
    "price": 1.50,
    "meta": { "k" : [1, 2.0, {"deep": null}] },
    "when": "2024-03-01"
  },
  {"id": 2, "title": "Tab\\there", "price": -0, "meta": {}, "when": null},
  {"title": "third", "id": 3e2, "extra": "x"}
]
"""
    write_bytes("records.json", array.encode("utf-8"))

    # Plain text, one item per line: BOM, CRLF, trailing spaces, blank lines, no final break.
    text = "\ufeffapple  \r\nbanana\t\r\n\r\n  cherry pie \r\n   \r\ndurian\u00a0\r\nélan"
    write_bytes("items.txt", text.encode("utf-8"))

    # Windows-1252 CSV as Excel's "CSV (Comma delimited)" writes it in Western locales.
    latin = "name;city;price\r\nJosé;Zürich;€ 10\r\nMüller’s;Besançon;– 5\r\n"
    write_bytes("latin1.csv", latin.encode("cp1252"))

    # Excel's "Unicode Text": UTF-16LE with BOM, tab-separated.
    unicode_text = "name\tcity\r\nJosé\tZürich\r\n😀\t東京\r\n"
    write_bytes("utf16le.txt", b"\xff\xfe" + unicode_text.encode("utf-16-le"))


# --- Workbooks made by openpyxl ----------------------------------------------

def make_openpyxl_fixture():
    workbook = openpyxl.Workbook()
    grades = workbook.active
    grades.title = "Grades"
    grades.append(["Student ID", "Name", "Enrolled", "Last Login", "Grade", "Passed", "Bonus", "Total"])
    grades.append(["S001", "Zoë", datetime.date(2024, 3, 1), datetime.datetime(2024, 3, 1, 8, 30, 0),
                   91.5, True, 2, "=E2+G2"])
    grades.append(["S002", "Émile", datetime.date(1999, 12, 31), datetime.datetime(2000, 1, 1, 23, 59, 59),
                   70, False, None, "=E3+G3"])
    grades.append([None, None, None, None, None, None, None, None])  # an empty row
    grades.append(["S003", "  padded  ", None, None, 0.1, None, -3, None])
    grades.append([12345678901234, "big", datetime.datetime(1900, 1, 1), None, 1e-5, None, 1e20, None])

    notes = workbook.create_sheet("Notes")
    notes.append(["topic", "text"])
    notes.append(["multi", "line one\nline two"])
    notes.append(["xml", "a < b & c > d \"q\" 'a'"])

    header_only = workbook.create_sheet("Header Only")
    header_only.append(["a", "b", "c"])

    workbook.create_sheet("Empty")
    workbook.save(path("grades.xlsx"))


# --- Hand-made workbooks -----------------------------------------------------

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
</Types>"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def workbook_xml(sheets, date1904=False):
    pr = '<workbookPr date1904="1"/>' if date1904 else '<workbookPr/>'
    items = "".join(
        f'<sheet name="{name}" sheetId="{index + 1}" r:id="rId{index + 1}"/>'
        for index, (name, _, _) in enumerate(sheets))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'{pr}<sheets>{items}</sheets></workbook>')


def workbook_rels(sheets, extra=""):
    items = "".join(
        f'<Relationship Id="rId{index + 1}" Type="{REL}{kind}" Target="{target}"/>'
        for index, (_, kind, target) in enumerate(sheets))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{items}{extra}</Relationships>')


STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="4">
<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/>
<numFmt numFmtId="165" formatCode="[h]:mm"/>
<numFmt numFmtId="166" formatCode="&quot;Day &quot;d mmm yyyy;@"/>
<numFmt numFmtId="167" formatCode="[Red]0.00;[Blue]-0.00"/>
</numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="8">
<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="22"/><xf numFmtId="164"/>
<xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="10"/><xf numFmtId="21"/>
</cellXfs>
</styleSheet>"""

SHARED = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5">
<si><t>Name</t></si>
<si><t xml:space="preserve">  spaced  </t></si>
<si><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r></si>
<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>
<si><t>Tom &amp; Jerry &lt;3 &#233;&#x1F600;</t></si>
</sst>"""

# Prefixed elements (x:), sparse cells, row gaps, every cell type, date styles.
SHEET_DATA = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:dimension ref="A1:F9"/>
<x:sheetViews><x:sheetView workbookViewId="0"/></x:sheetViews>
<x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>Kind</x:t></x:is></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>Value</x:t></x:is></x:c><x:c r="D1" t="inlineStr"><x:is><x:t>Other</x:t></x:is></x:c></x:row>
<x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c><x:c r="B2" t="inlineStr"><x:is><x:r><x:t>rich</x:t></x:r><x:r><x:t xml:space="preserve"> inline</x:t></x:r></x:is></x:c><x:c r="C2"><x:f>1+2</x:f><x:v>3</x:v></x:c><x:c r="D2" t="str"><x:f>"a"&amp;"b"</x:f><x:v>ab</x:v></x:c></x:row>
<x:row r="3"><x:c r="A3" t="s"><x:v>2</x:v></x:c><x:c r="B3" t="b"><x:v>1</x:v></x:c><x:c r="C3" t="b"><x:v>0</x:v></x:c><x:c r="D3" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c></x:row>
<x:row r="5"><x:c r="A5" t="s"><x:v>3</x:v></x:c><x:c r="C5" s="1"><x:v>45352</x:v></x:c></x:row>
<x:row r="6" spans="1:6"><x:c r="A6" t="s"><x:v>4</x:v></x:c><x:c r="B6" s="2"><x:v>45352.354166666664</x:v></x:c><x:c r="C6" s="3"><x:v>36525.999988425923</x:v></x:c><x:c r="D6" s="4"><x:v>1.5</x:v></x:c></x:row>
<x:row><x:c t="inlineStr"><x:is><x:t>no refs</x:t></x:is></x:c><x:c s="5"><x:v>60</x:v></x:c><x:c s="5"><x:v>61</x:v></x:c><x:c s="6"><x:v>0.25</x:v></x:c></x:row>
<x:row r="8" s="3" customFormat="1"><x:c r="A8" s="3"/><x:c r="B8" s="1"/></x:row>
<x:row r="9"><x:c r="A9"><x:v>1.0</x:v></x:c><x:c r="B9"><x:v>2.5E-3</x:v></x:c><x:c r="C9" s="7"><x:v>0.5</x:v></x:c><x:c r="D9" s="1"><x:v>59</x:v></x:c><x:c r="F9"><x:v>-0</x:v></x:c></x:row>
</x:sheetData>
<x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells>
</x:worksheet>"""

SHEET_SECOND = """<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="3"><c r="B3" t="inlineStr"><is><t><![CDATA[<cdata> & text]]></t></is></c></row>
<row r="4"><c r="B4" t="inlineStr"><is><t>x</t></is></c><c r="D4"><v>4</v></c></row>
</sheetData></worksheet>"""


def write_zip(name, parts, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path(name), "w", compression) as archive:
        for part, content in parts:
            info = zipfile.ZipInfo(part, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            archive.writestr(info, content)


def make_handmade_fixtures():
    sheets = [("Data", "worksheet", "worksheets/sheet1.xml"),
              ("Chart1", "chartsheet", "chartsheets/sheet1.xml"),
              ("Second", "worksheet", "/xl/worksheets/sheet2.xml")]
    extra = (f'<Relationship Id="rId10" Type="{REL}styles" Target="styles.xml"/>'
             f'<Relationship Id="rId11" Type="{REL}sharedStrings" Target="sharedStrings.xml"/>')
    write_zip("handmade.xlsx", [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", workbook_xml(sheets)),
        ("xl/_rels/workbook.xml.rels", workbook_rels(sheets, extra)),
        ("xl/styles.xml", STYLES),
        ("xl/sharedStrings.xml", SHARED),
        ("xl/worksheets/sheet1.xml", SHEET_DATA),
        ("xl/chartsheets/sheet1.xml", "<chartsheet/>"),
        ("xl/worksheets/sheet2.xml", SHEET_SECOND),
    ])

    # The 1904 date system: serial 0 is 1904-01-01.
    sheets1904 = [("Mac", "worksheet", "worksheets/sheet1.xml")]
    sheet1904 = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                 '<row r="1"><c r="A1" t="inlineStr"><is><t>when</t></is></c></row>'
                 '<row r="2"><c r="A2" s="1"><v>0</v></c></row>'
                 '<row r="3"><c r="A3" s="1"><v>43889</v></c></row>'
                 '</sheetData></worksheet>')
    write_zip("date1904.xlsx", [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", workbook_xml(sheets1904, date1904=True)),
        ("xl/_rels/workbook.xml.rels", workbook_rels(sheets1904, f'<Relationship Id="rId9" Type="{REL}styles" Target="styles.xml"/>')),
        ("xl/styles.xml", STYLES),
        ("xl/worksheets/sheet1.xml", sheet1904),
    ])


def make_bombs():
    """A sheet of 20 MB of blanks: it deflates about 1000:1, as zip bombs do."""
    sheets = [("Bomb", "worksheet", "worksheets/sheet1.xml")]
    filler = b" " * (20 << 20)
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + filler + b'</sheetData></worksheet>')
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", workbook_xml(sheets)),
        ("xl/_rels/workbook.xml.rels", workbook_rels(sheets)),
        ("xl/worksheets/sheet1.xml", sheet),
    ]
    write_zip("bomb.xlsx", parts)

    # The same bomb, but its zip directory lies: it declares the sheet as 1000 bytes,
    # so only counting the bytes actually inflated catches it.
    data = bytearray(open(path("bomb.xlsx"), "rb").read())
    name = b"xl/worksheets/sheet1.xml"
    real = struct.pack("<I", len(sheet))
    fake = struct.pack("<I", 1000)
    # Local header: signature, then the uncompressed size at offset 22.
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30:local + 30 + name_length]) == name:
            assert bytes(data[local + 22:local + 26]) == real
            data[local + 22:local + 26] = fake
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46:central + 46 + name_length]) == name:
            assert bytes(data[central + 24:central + 28]) == real
            data[central + 24:central + 28] = fake
        central = data.find(b"PK\x01\x02", central + 4)
    write_bytes("bomb-lying.xlsx", bytes(data))

    # Not a zip at all.
    write_bytes("not-a-zip.xlsx", b"name,grade\nAda,1\n")


if __name__ == "__main__":
    make_text_fixtures()
    make_openpyxl_fixture()
    make_handmade_fixtures()
    make_bombs()
