import Contracts
import Foundation
import Tabular

/// A stored reference table a `lookup` step joins (docs/plans.md#lookup): a header and typed
/// rows, as the transform service keeps one version of it.
public struct ReferenceTable: Sendable, Hashable, Codable {
    /// The column names, distinct.
    public var columns: [String]
    /// The rows, each with one value per column.
    public var rows: [[CellValue]]

    /// A table; rows shorter than the header are padded with nulls, longer ones cut.
    public init(columns: [String], rows: [[CellValue]]) {
        self.columns = columns
        self.rows = rows.map { row in
            row.count == columns.count ? row
                : Array(row.prefix(columns.count)) + Array(repeating: .null, count: max(0, columns.count - row.count))
        }
    }

    /// The most rows and cells a stored table may hold: it is held in memory by every
    /// transform replica for each job that joins it.
    public static let maxRows = 200_000
    /// See ``maxRows``.
    public static let maxCells = 5_000_000

    /// Reads a table from CSV text with a header row (delimiter `,`, `;`, tab or `|`, detected),
    /// or a JSON array of objects (columns in order of first appearance, each object's new
    /// keys by name). Cells are
    /// typed as ingest types a file without a schema: integers, then decimals, then text,
    /// an empty cell null (`CellValue.coerce`).
    public static func parse(_ data: Data) throws(PlanError) -> ReferenceTable {
        let first = data.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }
        let table = first == UInt8(ascii: "[") ? try json(data) : try csv(data)
        guard !table.columns.isEmpty else { throw invalid("the table has no columns; give a header row") }
        if let repeated = Dictionary(grouping: table.columns, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw invalid("column '\(repeated)' appears twice in the header")
        }
        if let blank = table.columns.firstIndex(where: { $0.isEmpty }) {
            throw invalid("column \(blank + 1) of the header has no name")
        }
        guard table.rows.count <= maxRows, table.rows.count * table.columns.count <= maxCells else {
            throw invalid("the table has \(table.rows.count) rows of \(table.columns.count) columns; a reference table "
                          + "holds at most \(maxRows) rows and \(maxCells) cells (join a larger one as a dataset instead)")
        }
        return table
    }

    private static func csv(_ data: Data) throws(PlanError) -> ReferenceTable {
        let records: [CSVRecord]
        // The delimiter as ingest detects it: a spreadsheet's export may use `;` or tabs.
        let dialect = CSVDialect.detect(sample: data.prefix(64 << 10))
        do { records = try CSVReader.parse(data, dialect: dialect) } catch {
            throw invalid("the CSV is malformed: \(error)")
        }
        guard let header = records.first else { throw invalid("the file is empty; give a header row and rows") }
        let columns = header.fields.map(CellValue.trimmingWhitespace)
        let rows = records.dropFirst().filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
            .map { $0.fields.map(CellValue.coerce) }
        return ReferenceTable(columns: columns, rows: rows)
    }

    private static func json(_ data: Data) throws(PlanError) -> ReferenceTable {
        let objects: [[String: CellValue]]
        do { objects = try JSONDecoder().decode([[String: CellValue]].self, from: data) } catch {
            throw invalid("the JSON is not an array of objects with text, number, boolean or null values")
        }
        var columns: [String] = []
        var seen = Set<String>()
        for object in objects {
            for key in object.keys.sorted() where seen.insert(key).inserted { columns.append(key) }
        }
        return ReferenceTable(columns: columns, rows: objects.map { object in columns.map { object[$0] ?? .null } })
    }

    private static func invalid(_ detail: String) -> PlanError {
        PlanError(code: .invalidReference, detail: detail)
    }
}

extension PlanError.Code {
    /// A reference table that cannot be stored or joined (malformed, duplicate keys, …).
    public static let invalidReference = PlanError.Code(rawValue: "plan.invalid-reference")
    /// A `lookup` whose table was not supplied (not stored, or not resolved for the job).
    public static let unknownReference = PlanError.Code(rawValue: "plan.unknown-reference")
}
