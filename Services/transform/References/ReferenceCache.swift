import Plans
import Toolkit

/// Parsed reference tables by `name@version` (a version never changes once stored), so the
/// jobs of one catalog run read and decode a table once per replica, not once each. Bounded
/// by count and by cells, oldest out first.
final class ReferenceCache: Sendable {
    private let entries = LockedValue<[(reference: String, summary: ReferenceStore.Summary, table: ReferenceTable)]>([])
    private let capacity: Int
    private let maxCells: Int

    init(capacity: Int = 16, maxCells: Int = 10_000_000) {
        self.capacity = capacity
        self.maxCells = maxCells
    }

    func get(_ reference: String) -> (ReferenceStore.Summary, ReferenceTable)? {
        entries.update { list in list.first { $0.reference == reference }.map { ($0.summary, $0.table) } }
    }

    func put(_ found: (ReferenceStore.Summary, ReferenceTable)) {
        let (summary, table) = found
        entries.update { list in
            guard !list.contains(where: { $0.reference == summary.reference }) else { return }
            list.append((summary.reference, summary, table))
            func cells() -> Int { list.reduce(0) { $0 + $1.table.rows.count * max(1, $1.table.columns.count) } }
            while list.count > 1, list.count > capacity || cells() > maxCells { list.removeFirst() }
        }
    }
}
