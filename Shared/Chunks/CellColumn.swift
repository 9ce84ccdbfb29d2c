import CivilTime
import Columnar
import Tabular

/// The data columns of a chunk: which Arrow type their cells need, building them row by row,
/// and reading them back column by column (tight loops over the buffers, no per-cell
/// dispatch on the Arrow type).
enum CellColumn {
    /// The kinds a cell can be, as dense-union type ids (fixed, so every chunk agrees).
    enum Kind: Int8, CaseIterable {
        case null = 0, int64 = 1, float64 = 2, bool = 3, utf8 = 4

        @inline(__always)
        init(_ value: CellValue) {
            switch value {
            case .null: self = .null
            case .integer: self = .int64
            case .number: self = .float64
            case .bool: self = .bool
            case .string: self = .utf8
            }
        }

        var bit: UInt8 { 1 << UInt8(rawValue) }

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
    /// reads back as an integer (see ``cells(_:)``).
    static let exactIntegers = 9_007_199_254_740_992.0

    /// What one column's cells hold: a bit per ``Kind`` present, and whether every integer
    /// is exact in a double.
    struct Census {
        var kinds: UInt8 = 0
        var integersExact = true

        @inline(__always)
        mutating func add(_ cell: CellValue) {
            kinds |= Kind(cell).bit
            if case .integer(let value) = cell, Double(value.magnitude) >= exactIntegers { integersExact = false }
        }

        /// The kinds the column is built from: one plain kind, or the members of a union.
        var members: [Kind] {
            let present = Kind.allCases.filter { kinds & $0.bit != 0 }
            let nonNull = present.filter { $0 != .null }
            if Set(nonNull) == [.int64, .float64], integersExact { return [.float64] }
            if nonNull.count <= 1 { return [nonNull.first ?? .null] }
            return present
        }
    }

    /// Builds one column from cells appended in row order.
    struct Sink {
        let members: [Kind]
        private var builders: [ArrowBuilder]
        /// Per kind (by raw value), the index of its builder; -1 when absent.
        private var child: [Int] = Array(repeating: -1, count: Kind.allCases.count)
        private var typeIds: [Int8] = []
        private var offsets: [Int32] = []

        init(_ census: Census, capacity: Int) {
            let members = census.members
            self.members = members
            builders = members.map { ArrowBuilder($0.arrowType, capacity: members.count == 1 ? capacity : 0) }
            for (index, kind) in members.enumerated() { child[Int(kind.rawValue)] = index }
            if members.count > 1 {
                typeIds.reserveCapacity(capacity)
                offsets.reserveCapacity(capacity)
            }
        }

        @inline(__always)
        mutating func append(_ cell: CellValue) {
            guard members.count > 1 else {
                Self.append(cell, to: &builders[0])
                return
            }
            let kind = Kind(cell)
            let index = child[Int(kind.rawValue)]
            typeIds.append(kind.rawValue)
            offsets.append(Int32(builders[index].count))
            Self.append(cell, to: &builders[index])
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

        func finish() -> (ArrowType, ArrowArray) {
            guard members.count > 1 else { return (members[0].arrowType, builders[0].finish()) }
            let type = ArrowType.denseUnion(members.map { ArrowField(name: $0.name, type: $0.arrowType) },
                                            typeIds: members.map(\.rawValue))
            return (type, ArrowArray.denseUnion(type, children: builders.map { $0.finish() }, typeIds: typeIds,
                                                offsets: offsets))
        }
    }
}
