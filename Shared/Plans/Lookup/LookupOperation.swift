import Contracts
import Tabular

/// `lookup`: the table's row with the row's key, its columns written into the row's slots.
final class LookupOperation: RowOperation {
    let keySlots: [Int]
    let outputSlots: [Int]
    /// Key text → the added values, in `outputSlots` order.
    let index: [String: [CellValue]]
    let missing: LookupMissing
    let origin: StepOrigin
    let table: String

    init(keySlots: [Int], outputSlots: [Int], index: [String: [CellValue]], missing: LookupMissing,
         origin: StepOrigin, table: String) {
        self.keySlots = keySlots
        self.outputSlots = outputSlots
        self.index = index
        self.missing = missing
        self.origin = origin
        self.table = table
    }

    func apply(_ row: inout [CellValue], line: Int, errors: inout [RecordError], key: inout String?) -> RowOutcome {
        if let text = LookupKey.text(keySlots.map { row[$0] }), let values = index[text] {
            for (slot, value) in zip(outputSlots, values) { row[slot] = value }
            return .kept
        }
        switch missing {
        case .null:
            for slot in outputSlots { row[slot] = .null }
            return .kept
        case .filter:
            return .filtered
        case .drop:
            let shown = keySlots.map { row[$0].csvText }.joined(separator: ", ")
            errors.append(RecordError(line: line, field: nil, code: "lookup-missing",
                                      message: "\(origin.label): no row of \(table) has the key (\(shown))"
                                          + ErrorPolicy.drop.consequence, value: shown))
            return .dropped
        }
    }
}

/// The text a lookup key is matched on, the same for a row and for the table.
enum LookupKey {
    /// The cells' texts joined with a unit separator; nil when a cell is null (a null key
    /// matches nothing). A whole number matches whether it was read as `7` or `7.0`.
    static func text(_ cells: [CellValue]) -> String? {
        var parts: [String] = []
        parts.reserveCapacity(cells.count)
        for cell in cells {
            switch cell {
            case .null: return nil
            case .number(let value) where value.rounded() == value && abs(value) < 9.0e15:
                parts.append(String(Int64(value)))
            default: parts.append(cell.csvText)
            }
        }
        return parts.joined(separator: "\u{1F}")
    }
}

/// Stored reference tables by the name a plan's `lookup` steps give (`planning`,
/// `planning@2`), with the version each resolved to (`planning@2`) for reports.
public struct ReferenceTables: Sendable {
    /// Table by the name the step wrote.
    public var tables: [String: (reference: String, table: ReferenceTable)]

    /// Tables by name.
    public init(_ tables: [String: (reference: String, table: ReferenceTable)] = [:]) {
        self.tables = tables
    }

    /// None: a plan with a `lookup` step fails to compile.
    public static let none = ReferenceTables()
}

extension ProcessingPlan {
    /// The reference tables the plan's `lookup` steps name, as written, in step order.
    public var lookupTables: [String] {
        var seen = Set<String>()
        return steps.compactMap { step in
            if case .lookup(let lookup) = step, seen.insert(lookup.table).inserted { return lookup.table }
            return nil
        }
    }
}
