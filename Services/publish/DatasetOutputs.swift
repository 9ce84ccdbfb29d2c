import Contracts
import Foundation
import Logging
import ObjectStorage
import PostgresNIO
import Reports
import Tabular

/// The processed dataset, written once per chosen format as records stream past in order:
/// CSV (formula-injection safe), JSON Lines, and XLSX (deflated on its own thread,
/// ``SheetLane``). Every output is spooled to a file beside the object store and moved into
/// it at the end with the job's other artifacts (``ArtifactBatch``).
struct DatasetOutputs {
    private var csv: ArtifactWriter?
    private var jsonl: ArtifactWriter?
    private var xlsx: SheetLane?
    private let jobId: String
    private let columns: [String]
    private let writer = CSVWriter()
    private var line: [UInt8] = []

    init(jobId: String, columns: [String], outputs: Set<JobOptions.Output>, spool: String, xlsxLevel: Int32) throws {
        self.columns = columns
        self.jobId = jobId
        if outputs.contains(.xlsx) {
            try? FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
            xlsx = try SheetLane(path: spool + "/output-\(MessageID.random()).xlsx", columns: columns, deflateLevel: xlsxLevel)
        }
        if outputs.contains(.csv) {
            csv = try ArtifactWriter(jobId: jobId, name: "output.csv", contentType: "text/csv", spool: spool)
            var header: [UInt8] = []
            writer.append(columns, to: &header)
            try csv?.write(header)
        }
        if outputs.contains(.jsonl) {
            jsonl = try ArtifactWriter(jobId: jobId, name: "output.jsonl", contentType: "application/x-ndjson", spool: spool)
        }
    }

    /// Appends one output record.
    mutating func write(_ record: Record) throws {
        xlsx?.append(record.values)
        if csv != nil {
            line.removeAll(keepingCapacity: true)
            writer.append(record.values, to: &line)
            try csv?.write(line)
        }
        if jsonl != nil {
            line.removeAll(keepingCapacity: true)
            JSONLine.append(record.values, columns: columns, to: &line)
            try jsonl?.write(line)
        }
    }

    /// Whether enough rows wait for the XLSX thread to hand them over now.
    var wantsFlush: Bool { xlsx?.isFull ?? false }

    /// Hands the rows written since the last call to the XLSX thread.
    func flush() async throws {
        try await xlsx?.flush()
    }

    /// Finishes every output; `sheets` adds the summary, validation and KPI sheets to the
    /// XLSX workbook first. Returns them ready for ``ArtifactBatch`` (spool files until then).
    mutating func finish(sheets: @escaping @Sendable (XLSXStreamWriter) throws -> Void) async throws -> [PendingArtifact] {
        var pending: [PendingArtifact] = []
        if var csv { pending.append(try csv.finish()) }
        if var jsonl { pending.append(try jsonl.finish()) }
        if let xlsx {
            try await xlsx.finish(sheets: sheets)
            pending.append(try ArtifactWriter.pendingFile(
                xlsx.path, jobId: jobId, name: "output.xlsx",
                contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        }
        return pending
    }

    /// Gives up every output (their spool files are removed).
    func discard() {
        csv?.discard()
        jsonl?.discard()
        xlsx?.discard()
    }
}

/// A record as one JSON object per line, keys in column order; written by hand because a
/// `[String: CellValue]` through `JSONEncoder` loses the column order and is slow.
enum JSONLine {
    static func append(_ values: [CellValue], columns: [String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (index, name) in columns.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.append(name, to: &out)
            out.append(UInt8(ascii: ":"))
            let value = index < values.count ? values[index] : .null
            switch value {
            case .null: out.append(contentsOf: Array("null".utf8))
            case .string(let text): JSONString.append(text, to: &out)
            case .integer(let number): out.append(contentsOf: Array(String(number).utf8))
            case .number(let number):
                out.append(contentsOf: Array((number.isFinite ? number.description : "null").utf8))
            case .bool(let flag): out.append(contentsOf: Array((flag ? "true" : "false").utf8))
            }
        }
        out.append(contentsOf: [UInt8(ascii: "}"), 0x0A])
    }

}
