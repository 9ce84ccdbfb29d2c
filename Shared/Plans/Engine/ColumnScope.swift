import Contracts
import Tabular
/// The columns visible at one point of a plan, and where each one's value lives in the
/// working row.
///
/// Column-shaping steps never move data: the engine gives every input column and every
/// derived column its own slot in a working row, and `rename`, `select`, `drop` and
/// `reorder` only change which slots are visible under which names. The output row is
/// gathered from the visible slots once, after the last step.
struct ColumnScope {
    /// Visible column names, in order.
    private(set) var names: [String]
    /// The slot of each visible column, parallel to `names`.
    private(set) var slots: [Int]
    /// The number of slots allocated so far (input columns plus derived ones).
    private(set) var slotCount: Int
    private var lookup: [String: Int]

    /// A scope over the input columns; throws `plan.duplicate-column` for a repeated name.
    init(columns: [String]) throws(PlanError) {
        names = columns
        slots = Array(columns.indices)
        slotCount = columns.count
        lookup = [:]
        for (index, name) in columns.enumerated() {
            if let first = lookup[name] {
                throw PlanError(code: .duplicateColumn, detail: "the input has two columns named '\(name)' "
                    + "(columns \(first + 1) and \(index + 1)); give them distinct names before the plan runs")
            }
            lookup[name] = index
        }
    }

    /// The slot of a visible column.
    func slot(of name: String) -> Int? {
        lookup[name].map { slots[$0] }
    }

    /// The slot of a visible column, or `plan.unknown-column` with a suggestion.
    func require(_ name: String, context: String = "") throws(PlanError) -> Int {
        if let slot = slot(of: name) { return slot }
        var detail = "unknown column '\(name)'\(context)"
        if let suggestion = Suggestions.closest(to: name, among: names) { detail += "; did you mean '\(suggestion)'?" }
        throw PlanError(code: .unknownColumn, detail: detail + "; columns at this step are: " + Suggestions.list(names))
    }

    /// The slots of a non-empty list of distinct, visible columns.
    func requireAll(_ list: [String], op: String) throws(PlanError) -> [Int] {
        guard !list.isEmpty else {
            throw PlanError(code: .invalidStep, detail: "\(op) needs at least one column in \"columns\"")
        }
        var seen = Set<String>()
        var result: [Int] = []
        for name in list {
            guard seen.insert(name).inserted else {
                throw PlanError(code: .invalidStep, detail: "column '\(name)' is listed twice")
            }
            result.append(try require(name))
        }
        return result
    }

    /// Renames columns simultaneously (`a → b, b → a` swaps them).
    mutating func rename(_ mapping: [String: String]) throws(PlanError) {
        guard !mapping.isEmpty else {
            throw PlanError(code: .invalidStep, detail: "rename needs at least one \"old\": \"new\" pair in \"columns\"")
        }
        for old in mapping.keys.sorted() {
            _ = try require(old)
            guard !(mapping[old] ?? "").isEmpty else {
                throw PlanError(code: .invalidStep, detail: "the new name for '\(old)' is empty")
            }
        }
        let renamed = names.map { mapping[$0] ?? $0 }
        var seen = Set<String>()
        for name in renamed where !seen.insert(name).inserted {
            let sources = names.filter { (mapping[$0] ?? $0) == name }.map { "'\($0)'" }.joined(separator: " and ")
            throw PlanError(code: .duplicateColumn, detail: "renaming would give \(sources) the same name '\(name)'")
        }
        replace(names: renamed, slots: slots)
    }

    /// Keeps only `list`, in that order.
    mutating func select(_ list: [String]) throws(PlanError) {
        let chosen = try requireAll(list, op: "select")
        replace(names: list, slots: chosen)
    }

    /// Removes `list`.
    mutating func drop(_ list: [String]) throws(PlanError) {
        let removed = Set(try requireAll(list, op: "drop"))
        guard removed.count < names.count else {
            throw PlanError(code: .invalidStep, detail: "drop would remove every column; use select to choose columns")
        }
        let kept = names.indices.filter { !removed.contains(slots[$0]) }
        replace(names: kept.map { names[$0] }, slots: kept.map { slots[$0] })
    }

    /// Moves `list` to the front; the others keep their relative order.
    mutating func reorder(_ list: [String]) throws(PlanError) {
        let front = try requireAll(list, op: "reorder")
        let moved = Set(front)
        let rest = names.indices.filter { !moved.contains(slots[$0]) }
        replace(names: list + rest.map { names[$0] }, slots: front + rest.map { slots[$0] })
    }

    /// The slot for `name`, creating a new column at the end when it does not exist.
    mutating func slotForWriting(_ name: String) -> Int {
        if let slot = slot(of: name) { return slot }
        let slot = slotCount
        slotCount += 1
        lookup[name] = names.count
        names.append(name)
        slots.append(slot)
        return slot
    }

    private mutating func replace(names newNames: [String], slots newSlots: [Int]) {
        names = newNames
        slots = newSlots
        lookup = Dictionary(uniqueKeysWithValues: newNames.enumerated().map { ($1, $0) })
    }
}
