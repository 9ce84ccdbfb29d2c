import Contracts
import Foundation
@testable import Hosting
@testable import PublishService
import Reports
@testable import Runtime
import Tabular
@testable import TestSupport
import Testing

/// The XLSX output on its own thread: rows handed over in batches reach the workbook in
/// order, the deflate level is the configured one, and a given-up workbook leaves no file.
@Suite("Publish: XLSX lane")
struct SheetLaneTests {
    /// Writes `rows` rows through a lane at `level`, in batches as publish's pass hands them.
    static func write(rows: Int, level: Int32, to path: String) async throws {
        let lane = try SheetLane(path: path, columns: ["id", "name"], deflateLevel: level)
        for row in 0..<rows {
            lane.append([.integer(Int64(row)), .string("student \(row)")])
            if lane.isFull { try await lane.flush() }
        }
        try await lane.flush()
        try await lane.finish { writer in try writer.addSheet(named: "Notes", header: ["note"], rows: [["done"]]) }
    }

    @Test func rowsArriveInOrderAtTheConfiguredLevel() async throws {
        let directory = try ReportTestSupport.scratchDirectory("sheet-lane")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows = SheetLane.batchRows * 2 + 7  // three batches
        let stored = directory.appendingPathComponent("stored.xlsx").path
        let packed = directory.appendingPathComponent("packed.xlsx").path
        try await Self.write(rows: rows, level: 0, to: stored)
        try await Self.write(rows: rows, level: 9, to: packed)
        let size = { (path: String) in (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        // Level 0 stores the XML as is: several times the deflated size.
        #expect(try size(stored) > 4 * size(packed))
        let script = """
            import sys, openpyxl
            book = openpyxl.load_workbook(sys.argv[1], read_only=True)
            data = list(book["Data"].iter_rows(values_only=True))
            print(book.sheetnames, len(data), data[1], data[-1])
            """
        let result = try ReportTestSupport.python(script, [packed])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                == "['Data', 'Notes'] \(rows + 1) (0, 'student 0') (\(rows - 1), 'student \(rows - 1)')")
    }

    @Test func aDiscardedWorkbookLeavesNoFile() async throws {
        let directory = try ReportTestSupport.scratchDirectory("sheet-lane-discard")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("given-up.xlsx").path
        let lane = try SheetLane(path: path, columns: ["id"], deflateLevel: 1)
        for row in 0..<(SheetLane.batchRows + 1) { lane.append([.integer(Int64(row))]) }
        try await lane.flush()  // a batch in flight when the pass gives up
        lane.discard()
        #expect(try await TestEnvironment.eventually(timeout: .seconds(10)) { !FileManager.default.fileExists(atPath: path) })
    }

    @Test func theDeflateLevelSettingIsChecked() throws {
        #expect { try PublishService.spec(config: RuntimeConfig(service: "publish", values: ConfigValues(["publish.xlsx.deflate.level": "12"]))) }
            throws: { ($0 as? SluiceError)?.code == "config.invalid-deflate-level" }
        _ = try PublishService.spec(config: RuntimeConfig(service: "publish", values: ConfigValues(["publish.xlsx.deflate.level": "9"])))
    }
}
