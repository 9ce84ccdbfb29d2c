import Foundation
import Plans
import Tabular
import Testing
@testable import TransformService

/// Parsed reference tables are shared by version, within a bound of count and cells.
@Suite("Reference table cache")
struct ReferenceCacheTests {
    func table(_ name: String, version: Int, rows: Int) -> (ReferenceStore.Summary, ReferenceTable) {
        let table = ReferenceTable(columns: ["k", "v"], rows: (0..<rows).map { [.integer(Int64($0)), "x"] })
        return (ReferenceStore.Summary(name: name, version: version, columns: table.columns, rows: rows, createdAt: Date()), table)
    }

    @Test("a version is kept once and found by name@version; the oldest go first past the count or the cells")
    func bounds() {
        let cache = ReferenceCache(capacity: 2, maxCells: 100)
        cache.put(table("planning", version: 1, rows: 10))
        cache.put(table("planning", version: 1, rows: 10))
        #expect(cache.get("planning@1")?.1.rows.count == 10)
        #expect(cache.get("planning@2") == nil)
        cache.put(table("planning", version: 2, rows: 10))
        cache.put(table("codes", version: 1, rows: 10))
        #expect(cache.get("planning@1") == nil, "past the count, the oldest goes")
        #expect(cache.get("planning@2") != nil && cache.get("codes@1") != nil)
        cache.put(table("big", version: 1, rows: 45))
        #expect(cache.get("big@1") != nil && cache.get("planning@2") == nil, "past the cells, the oldest go")
        cache.put(table("huge", version: 1, rows: 1000))
        #expect(cache.get("huge@1") != nil, "a table bigger than the bound is still kept alone, for the jobs using it now")
    }
}
