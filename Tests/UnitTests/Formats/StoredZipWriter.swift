import Foundation

/// Writes zip archives with stored (uncompressed) entries, for tests that need
/// workbooks too big or too odd to commit: thousands of entries, huge sheets.
///
/// Streams to a file, so a sheet of hundreds of megabytes never sits in memory.
/// No ZIP64: entries and the archive must stay under 4 GiB, 65,535 entries.
final class StoredZipWriter {
    private let handle: FileHandle
    private var offset: UInt32 = 0
    private var central = Data()
    private var count: UInt16 = 0

    init(url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
    }

    /// Adds an entry whose content is produced in pieces by `body`.
    func add(_ name: String, _ body: (_ write: (Data) -> Void) -> Void) throws {
        // Stored entries need the CRC and size up front (no data descriptor), so the
        // content is produced twice: once to measure, once to write.
        var crc = CRC32()
        var size: UInt32 = 0
        body { piece in
            crc.update(piece)
            size += UInt32(piece.count)
        }
        let nameBytes = Data(name.utf8)
        var header = Data()
        header.append32(0x0403_4B50)
        header.append16(20); header.append16(0); header.append16(0) // version, flags, stored
        header.append16(0); header.append16(0x21) // time, date (1980-01-01)
        header.append32(crc.value); header.append32(size); header.append32(size)
        header.append16(UInt16(nameBytes.count)); header.append16(0)
        header.append(nameBytes)
        handle.write(header)
        body { piece in handle.write(piece) }

        central.append32(0x0201_4B50)
        central.append16(20); central.append16(20); central.append16(0); central.append16(0)
        central.append16(0); central.append16(0x21)
        central.append32(crc.value); central.append32(size); central.append32(size)
        central.append16(UInt16(nameBytes.count)); central.append16(0); central.append16(0)
        central.append16(0); central.append16(0); central.append32(0)
        central.append32(offset)
        central.append(nameBytes)
        offset += UInt32(header.count) + size
        count += 1
    }

    /// Adds an entry with the given text.
    func add(_ name: String, text: String) throws {
        try add(name) { write in write(Data(text.utf8)) }
    }

    /// Writes the central directory and closes the file.
    func close() throws {
        handle.write(central)
        var end = Data()
        end.append32(0x0605_4B50)
        end.append16(0); end.append16(0); end.append16(count); end.append16(count)
        end.append32(UInt32(central.count)); end.append32(offset); end.append16(0)
        handle.write(end)
        try handle.close()
    }
}

/// The CRC-32 of zip (IEEE 802.3), computed incrementally.
struct CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
    private var state: UInt32 = 0xFFFF_FFFF

    var value: UInt32 { state ^ 0xFFFF_FFFF }

    mutating func update(_ data: Data) {
        for byte in data {
            state = Self.table[Int((state ^ UInt32(byte)) & 0xFF)] ^ (state >> 8)
        }
    }
}

private extension Data {
    mutating func append16(_ value: UInt16) {
        append(UInt8(value & 0xFF)); append(UInt8(value >> 8))
    }

    mutating func append32(_ value: UInt32) {
        append16(UInt16(value & 0xFFFF)); append16(UInt16(value >> 16))
    }
}

/// Builds minimal workbooks around a sheet body, for generated test files.
enum WorkbookBuilder {
    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>
        """
    static let workbook = """
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>
        """
    static let rels = """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
        """

    /// Writes a one-sheet workbook whose sheet XML `rows` produces row by row.
    static func write(to url: URL, extraEntries: Int = 0, rows: @escaping (_ write: (Data) -> Void) -> Void) throws {
        let zip = try StoredZipWriter(url: url)
        try zip.add("[Content_Types].xml", text: contentTypes)
        try zip.add("xl/workbook.xml", text: workbook)
        try zip.add("xl/_rels/workbook.xml.rels", text: rels)
        try zip.add("xl/worksheets/sheet1.xml") { write in
            write(Data(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.utf8))
            rows(write)
            write(Data("</sheetData></worksheet>".utf8))
        }
        for index in 0..<extraEntries {
            try zip.add("docProps/extra\(index).xml", text: "")
        }
        try zip.close()
    }
}
