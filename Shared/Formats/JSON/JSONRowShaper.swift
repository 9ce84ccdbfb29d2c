/// Turns parsed JSON records into rows shaped by the header.
///
/// The header is the keys of the first record, in order. Each later record becomes
/// one cell per header column, in header order whatever the record's key order:
/// a key the record lacks gives `nil`. Keys the header lacks are appended after the
/// header's cells in order of appearance and named in `SourceRow.extraKeys`, so the
/// validation stage reports them as `extra-cell` (and can say which key).
///
/// A key that occurs twice in one record is refused (`format.json-duplicate-key`):
/// PostgreSQL's `jsonb` keeps the last value and Swift's `JSONDecoder` the first, so
/// any choice would silently disagree with one of them.
struct JSONRowShaper: Sendable {
    let limits: FormatLimits
    /// The header's column names once the first record was seen.
    private(set) var header: [String]?
    /// Column position by header name.
    private var positions: [String: Int] = [:]
    /// For each header column, the serial of the record that last filled it.
    private var stamps: [Int] = []
    /// Counts records, to tell "filled in this record" from "filled earlier".
    private var serial = 0

    init(limits: FormatLimits) {
        self.limits = limits
    }

    /// Appends the rows for one record: for the first record the header row and then
    /// its data row, for later ones the data row.
    mutating func shape(
        _ parser: JSONRecordParser, line: Int, into rows: inout [SourceRow]
    ) throws(JSONFailure) {
        let keys = parser.keys
        guard let header else {
            try adoptHeader(parser)
            rows.append(SourceRow(line: line, cells: keys))
            rows.append(SourceRow(line: line, cells: parser.values))
            return
        }
        serial += 1
        let values = parser.values
        var cells = [String?](repeating: nil, count: header.count)
        var extraKeys: [String] = []
        var extraValues: [String?] = []
        var extraSet: Set<String> = [] // used once there are many extra keys
        for position in keys.indices {
            let key = keys[position]
            let column: Int? = position < header.count && header[position] == key
                ? position : positions[key]
            if let column {
                guard stamps[column] != serial else {
                    throw .duplicateKey(key, at: parser.keyOffsets[position])
                }
                stamps[column] = serial
                cells[column] = values[position]
            } else {
                let seen = extraKeys.count < 16 ? extraKeys.contains(key) : !extraSet.insert(key).inserted
                guard !seen else {
                    throw .duplicateKey(key, at: parser.keyOffsets[position])
                }
                if extraKeys.count == 15 { extraSet = Set(extraKeys + [key]) }
                extraKeys.append(key)
                extraValues.append(values[position])
            }
        }
        if !extraKeys.isEmpty {
            cells.append(contentsOf: extraValues)
            guard cells.count <= limits.maxColumns else { throw .tooManyColumns(count: cells.count) }
        }
        rows.append(SourceRow(line: line, cells: cells, extraKeys: extraKeys))
    }

    /// Takes the first record's keys as the header.
    private mutating func adoptHeader(_ parser: JSONRecordParser) throws(JSONFailure) {
        let keys = parser.keys
        guard keys.count <= limits.maxColumns else { throw .tooManyColumns(count: keys.count) }
        positions.reserveCapacity(keys.count)
        for (position, key) in keys.enumerated() {
            guard positions.updateValue(position, forKey: key) == nil else {
                throw .duplicateKey(key, at: parser.keyOffsets[position])
            }
        }
        stamps = [Int](repeating: 0, count: keys.count)
        header = keys
    }
}
