import Foundation
import Reports
import Testing

/// The ZIP layer on its own, read back with Python's zipfile and `unzip -t`.
@Suite
struct ZipArchiveWriterTests {
    /// Entries of assorted sizes (empty, one byte, several times the 256 KiB buffer).
    static let contents: [(name: String, bytes: [UInt8])] = {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<700_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Array(String(repeating: "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>", count: 20_000).utf8)
        return [("empty.txt", []), ("one.txt", [65]), ("dir/noise.bin", noise), ("dir/ünïcode.xml", text)]
    }()

    /// Writes `contents` and checks every entry reads back byte for byte (Python checks
    /// each CRC while reading), then runs `unzip -t`; returns the zip64 flags Python saw
    /// (whether each entry's central record carries a ZIP64 extra).
    func writeAndVerify(level: Int32, threshold: UInt64 = ZipArchiveWriter.zip64Limit) throws -> String {
        let directory = try ReportTestSupport.scratchDirectory("zip")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("test.zip").path
        let archive = try ZipArchiveWriter(path: path, level: level, zip64Threshold: threshold)
        for entry in Self.contents {
            try archive.beginEntry(entry.name)
            // In uneven pieces, as a streaming caller would write.
            var start = 0
            while start < entry.bytes.count {
                let end = min(start + 12_345, entry.bytes.count)
                try archive.write(Array(entry.bytes[start..<end]))
                start = end
            }
            try archive.endEntry()
        }
        try archive.close()
        for entry in Self.contents {
            try Data(entry.bytes).write(to: directory.appendingPathComponent("expected-\(entry.name.replacingOccurrences(of: "/", with: "_"))"))
        }
        let script = """
            import sys, os, struct, zipfile
            path, directory = sys.argv[1], os.path.dirname(sys.argv[1])
            raw = open(path, "rb").read()
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None
                for info in archive.infolist():
                    expected = open(os.path.join(directory, "expected-" + info.filename.replace("/", "_")), "rb").read()
                    assert archive.read(info) == expected, info.filename
                    assert info.flag_bits & 0x800 and info.compress_type == 8 and info.date_time == (1980, 1, 1, 0, 0, 0)
                    # The local header: the reserved extra is padding, or ZIP64 with the real sizes.
                    offset = info.header_offset
                    crc, packed, size, name_length, extra_length = struct.unpack("<IIIHH", raw[offset + 14:offset + 30])
                    extra_id, = struct.unpack("<H", raw[offset + 30 + name_length:offset + 32 + name_length])
                    assert extra_length == 20 and crc == info.CRC
                    if extra_id == 1:
                        assert (packed, size) == (0xFFFFFFFF, 0xFFFFFFFF)
                        assert struct.unpack("<QQ", raw[offset + 34 + name_length:offset + 50 + name_length]) == (info.file_size, info.compress_size)
                    else:
                        assert extra_id == 0x5A4C and (packed, size) == (info.compress_size, info.file_size)
                print([info.filename for info in archive.infolist()],
                      [any(info.extra[i:i+2] == b"\\x01\\x00" for i in range(0, len(info.extra), 2)) for info in archive.infolist()])
            """
        let result = try ReportTestSupport.python(script, [path])
        #expect(result.status == 0, "\(result.stderr)")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") {
            let unzip = try ReportTestSupport.run("/usr/bin/unzip", ["-t", path])
            #expect(unzip.status == 0, "\(unzip.stdout) \(unzip.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(arguments: [Int32(0), 1, 6, 9])
    func entriesRoundTrip(_ level: Int32) throws {
        #expect(try writeAndVerify(level: level)
            == "['empty.txt', 'one.txt', 'dir/noise.bin', 'dir/ünïcode.xml'] [False, False, False, False]")
    }

    /// With the ZIP64 threshold lowered to 1,000 bytes, the local headers of the larger
    /// entries are rewritten as ZIP64, the central directory carries ZIP64 extras for
    /// sizes and offsets past it, and the archive ends with ZIP64 end records; readers
    /// still read every byte.
    @Test func zip64Records() throws {
        #expect(try writeAndVerify(level: 1, threshold: 1_000)
            == "['empty.txt', 'one.txt', 'dir/noise.bin', 'dir/ünïcode.xml'] [False, False, True, True]")
    }

    /// More than 65,535 entries need the ZIP64 end of central directory record.
    @Test func manyEntries() throws {
        let directory = try ReportTestSupport.scratchDirectory("zip-many")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("many.zip").path
        let archive = try ZipArchiveWriter(path: path, level: 1)
        for index in 0..<70_000 {
            try archive.beginEntry("e\(index)")
            try archive.write(Array("\(index)".utf8))
            try archive.endEntry()
        }
        try archive.close()
        let script = """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as archive:
                assert archive.testzip() is None
                print(len(archive.infolist()), archive.read("e69999").decode())
            """
        let result = try ReportTestSupport.python(script, [path])
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "70000 69999", "\(result.stderr)")
    }

    @Test func misuseAndFailures() throws {
        let directory = try ReportTestSupport.scratchDirectory("zip-errors")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("x.zip").path
        let archive = try ZipArchiveWriter(path: path, level: 6)
        #expect { try archive.write([1]) } throws: { ($0 as? XLSXError)?.code == "xlsx.zip" }
        try archive.beginEntry("a")
        #expect { try archive.beginEntry("b") } throws: { ($0 as? XLSXError)?.code == "xlsx.zip" }
        archive.discard()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect { try archive.close() } throws: { ($0 as? XLSXError)?.code == "xlsx.zip" }

        do {
            _ = try ZipArchiveWriter(path: directory.appendingPathComponent("missing/x.zip").path, level: 1)
            Issue.record("opening in a missing directory should fail")
        } catch {
            #expect(error.code == "xlsx.file-not-created")
            #expect(error.message.contains("No such file or directory (errno 2)"))
        }
    }
}
