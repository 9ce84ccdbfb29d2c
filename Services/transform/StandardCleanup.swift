import Contracts
import Tabular

/// The default transformation: every text cell is trimmed, and text that reads as a number
/// becomes one (identifiers with leading zeros such as `007` stay text; booleans stay text).
enum StandardCleanup {
    static func apply(_ record: Record) -> Record {
        Record(line: record.line, values: record.values.map(cell))
    }

    static func cell(_ value: CellValue) -> CellValue {
        guard case .string(let text) = value else { return value }
        return CellValue.coerce(text)
    }
}
