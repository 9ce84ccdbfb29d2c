import Contracts
import Tabular

extension PlanCompiler {
    /// A `lookup`: keys resolved in the row and the table, the table indexed by key once per
    /// compilation (so once per job and replica), its one-row-per-key rule checked.
    mutating func addLookup(_ lookup: LookupStep, origin: StepOrigin) throws(PlanError) {
        guard let (reference, table) = references.tables[lookup.table] else {
            throw PlanError(code: .unknownReference, detail: "there is no stored reference table '\(lookup.table)'; "
                            + "store it first (sluice references put NAME FILE)")
        }
        let known = table.columns.joined(separator: ", ")
        func tableColumn(_ name: String) throws(PlanError) -> Int {
            guard let index = table.columns.firstIndex(of: name) else {
                throw PlanError(code: .unknownColumn, detail: "\(reference) has no column '\(name)'; its columns are: \(known)")
            }
            return index
        }
        var keySlots: [Int] = []
        var keyColumns: [Int] = []
        for column in lookup.keyOrder {
            keySlots.append(try scope.require(column))
            keyColumns.append(try tableColumn(lookup.on[column] ?? column))
        }
        let added = lookup.columns ?? table.columns.indices.filter { !keyColumns.contains($0) }.map { table.columns[$0] }
        guard !added.isEmpty else {
            throw PlanError(code: .invalidStep, detail: "\(reference) has no column besides the key to add; list \"columns\"")
        }
        var addedColumns: [Int] = []
        for name in added { addedColumns.append(try tableColumn(name)) }
        var index: [String: [CellValue]] = [:]
        var lines: [String: Int] = [:]
        for (number, row) in table.rows.enumerated() {
            // A table row with a null key can never match; it is left out.
            guard let key = LookupKey.text(keyColumns.map { row[$0] }) else { continue }
            if let earlier = lines[key] {
                let shown = keyColumns.map { row[$0].csvText }.joined(separator: ", ")
                throw PlanError(code: .invalidReference, detail: "\(reference) has more than one row with the key (\(shown)) "
                    + "(data rows \(earlier + 1) and \(number + 1)); a lookup needs one row per key: add key columns to \"on\"")
            }
            lines[key] = number
            index[key] = addedColumns.map { row[$0] }
        }
        let outputSlots = added.map { scope.slotForWriting($0) }
        touched.formUnion(keySlots)
        touched.formUnion(outputSlots)
        written.formUnion(outputSlots)
        steps.append(LookupOperation(keySlots: keySlots, outputSlots: outputSlots, index: index, missing: lookup.missing,
                                     origin: origin, table: reference))
    }
}
