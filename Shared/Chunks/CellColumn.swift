import CivilTime
import Columnar
import Tabular

/// One data column of a chunk: the Arrow type its cells need, and building or reading it.
enum CellColumn {
    /// The kinds a cell can be, as dense-union type ids (fixed, so every chunk agrees).
    enum Kind: Int8, CaseIterable {
        case null = 0, int64 = 1, float64 = 2, bool = 3, utf8 = 4

        init(_ value: CellValue) {
            switch value {
            case .null: self = .null
            case .integer: self = .int64
            case .number: self = .float64
            case .bool: self = .bool
            case .string: self = .utf8
            }
        }

        var arrowType: ArrowType {
            switch self {
            case .null: .null
            case .int64: .int64
            case .float64: .float64
            case .bool: .bool
            case .utf8: .utf8
            }
        }

        var name: String { "\(self)" }
    }

    /// Whole numbers below this magnitude are exact in a double; a float64 cell holding one
    /// reads back as an integer (see ``cell(_:_:)``).
    static let exactIntegers = 9_007_199_254_740_992.0

    /// Builds the column of `cells`: one plain type when the non-null cells agree (integers
    /// beside doubles count as doubles when they are exact in one), else a union.
    static func build<C: Collection>(_ cells: C) -> (ArrowType, ArrowArray) where C.Element == CellValue {
        var present = Set<Kind>()
        var integersExact = true
        for cell in cells {
            present.insert(Kind(cell))
            if case .integer(let value) = cell, Double(value.magnitude) >= exactIntegers { integersExact = false }
        }
        var kinds = present.subtracting([.null])
        if kinds == [.int64, .float64], integersExact {
            kinds = [.float64]
            present.remove(.int64)
        }
        if kinds.count <= 1 {
            let kind = kinds.first ?? .null
            var builder = ArrowBuilder(kind.arrowType, capacity: cells.count)
            for cell in cells { append(cell, to: &builder) }
            return (kind.arrowType, builder.finish())
        }
        let members = Kind.allCases.filter(present.contains)
        var builders = members.map { ArrowBuilder($0.arrowType) }
        let child = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) })
        var typeIds: [Int8] = []
        var offsets: [Int32] = []
        typeIds.reserveCapacity(cells.count)
        offsets.reserveCapacity(cells.count)
        for cell in cells {
            let kind = Kind(cell)
            let index = child[kind]!
            typeIds.append(kind.rawValue)
            offsets.append(Int32(builders[index].count))
            append(cell, to: &builders[index])
        }
        let type = ArrowType.denseUnion(members.map { ArrowField(name: $0.name, type: $0.arrowType) },
                                        typeIds: members.map(\.rawValue))
        return (type, ArrowArray.denseUnion(type, children: builders.map { $0.finish() }, typeIds: typeIds, offsets: offsets))
    }

    @inline(__always)
    private static func append(_ cell: CellValue, to builder: inout ArrowBuilder) {
        switch cell {
        case .null: builder.appendNull()
        case .integer(let value):
            if builder.type == .float64 { builder.append(Double(value)) } else { builder.append(value) }
        case .number(let value): builder.append(value)
        case .bool(let value): builder.append(value)
        case .string(let value): builder.append(value)
        }
    }

    /// Cell `index` of a column read back (any type Sluice writes; a date reads as its ISO text).
    static func cell(_ array: ArrowArray, _ index: Int) -> CellValue {
        if array.isNull(index) { return .null }
        switch array.type {
        case .null: return .null
        case .int64: return .integer(array.int64(index))
        case .float64:
            // A whole number reads as an integer, as it did when chunks travelled as JSON: a
            // number cell read from `95` prints `95`, and `round(…)` giving 30 prints `30`.
            let value = array.float64(index)
            if value.rounded(.towardZero) == value, value.magnitude < exactIntegers { return .integer(Int64(value)) }
            return .number(value)
        case .bool: return .bool(array.bool(index))
        case .utf8: return .string(array.string(index))
        case .date32: return CivilDate(daysSinceEpoch: Int(array.date32(index))).map { .string($0.description) } ?? .null
        case .denseUnion:
            let (child, offset) = array.unionSlot(index)
            return cell(array.children[child], offset)
        }
    }
}
