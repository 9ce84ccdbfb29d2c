import Chunks
import Contracts
import Formats
import Tabular

/// Header and cell clean-up applied to every source row (the job's `options.standardize`),
/// by the format module's standardizers: header names trimmed with inner whitespace
/// collapsed, optionally snake_case, blanks named `column_N`, duplicates made unique
/// (`name_2`); cells trimmed and configured missing values null. NUL becomes U+FFFD, as
/// PostgreSQL cannot store it and it would stall the job downstream.
struct RowStandardizer: Sendable {
    let headers: HeaderStandardizer
    let cells: CellStandardizer
    /// Whether cells may still hold NUL. Text inputs have it replaced block by block as they
    /// are read (``InputParser``), and JSON strings as they are decoded; only XLSX cells are
    /// checked here, so the common case costs nothing per cell.
    let replacesNUL: Bool

    init(_ options: Standardize?, replacesNUL: Bool = true) {
        headers = HeaderStandardizer(snakeCase: options?.snakeCase ?? false)
        cells = CellStandardizer(trimWhitespace: options?.trimCells ?? true, missingValues: options?.missingValues ?? [""])
        self.replacesNUL = replacesNUL
    }

    func header(_ names: [String?]) -> [String] {
        headers.standardize(names).map(\.replacingNUL)
    }

    /// Appends `row`'s standardized cells to a chunk being built.
    func append(_ row: SourceRow, to chunk: inout TextChunkBuilder) {
        if !replacesNUL {
            for cell in row.cells { chunk.append(cells.standardize(cell)) }
        } else {
            for cell in row.cells { chunk.append(cells.standardize(cell)?.replacingNUL) }
        }
        chunk.endRow(line: row.line)
    }
}
