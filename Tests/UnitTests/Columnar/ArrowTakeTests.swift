import Columnar
import Testing

/// Gathering rows must give the array a builder makes of the same values: a carried
/// column and an encoded one are then the same column to every reader.
@Suite("Arrow take")
struct ArrowTakeTests {
    /// One value per row of each gatherable type; `nil` is a null.
    static let ints: [Int64?] = [1, nil, -3, 4, nil, 6, 7, 8, 9, 10]
    static let texts: [String?] = ["a", nil, "", "Zürich 🎉", "a longer text than fifteen bytes", nil, "x", "y", "z", "w"]
    static let flags: [Bool?] = [true, false, nil, true, true, false, nil, false, true, true]

    static func build<T>(_ type: ArrowType, _ values: [T?], _ append: (inout ArrowBuilder, T) -> Void) -> ArrowArray {
        var builder = ArrowBuilder(type)
        for value in values { if let value { append(&builder, value) } else { builder.appendNull() } }
        return builder.finish()
    }

    static let selections: [[Int]] = [[], [0], [1, 4], [9, 0, 3, 3], [0, 2, 3, 5, 6, 7, 8, 9], Array(0..<10), [3, 2, 1, 0, 4, 5, 6, 7, 8, 9]]

    @Test("int64, float64, date32, bool and utf8 gather as builders build")
    func gathersLikeBuilders() throws {
        for rows in Self.selections {
            #expect(Self.build(.int64, Self.ints) { $0.append($1) }.take(rows)
                == Self.build(.int64, rows.map { Self.ints[$0] }) { $0.append($1) })
            #expect(Self.build(.float64, Self.ints) { $0.append(Double($1) / 4) }.take(rows)
                == Self.build(.float64, rows.map { Self.ints[$0] }) { $0.append(Double($1) / 4) })
            #expect(Self.build(.date32, Self.ints) { $0.append(days: Int32($1)) }.take(rows)
                == Self.build(.date32, rows.map { Self.ints[$0] }) { $0.append(days: Int32($1)) })
            #expect(Self.build(.bool, Self.flags) { $0.append($1) }.take(rows)
                == Self.build(.bool, rows.map { Self.flags[$0] }) { $0.append($1) })
            #expect(Self.build(.utf8, Self.texts) { $0.append($1) }.take(rows)
                == Self.build(.utf8, rows.map { Self.texts[$0] }) { $0.append($1) })
        }
    }

    @Test("rows without nulls lose the validity bitmap; a null array stays null")
    func validity() throws {
        let taken = try #require(Self.build(.int64, Self.ints) { $0.append($1) }.take([0, 2, 3]))
        #expect(taken.nullCount == 0 && taken.buffers[0].isEmpty)
        let nulls = ArrowArray(type: .null, length: 5, nullCount: 5, buffers: [])
        #expect(nulls.take([4, 1]) == ArrowArray(type: .null, length: 2, nullCount: 2, buffers: []))
    }

    @Test("a union is not gathered")
    func union() {
        let type = ArrowType.denseUnion([ArrowField(name: "int64", type: .int64)], typeIds: [1])
        let child = Self.build(.int64, [Int64(1), 2]) { (builder: inout ArrowBuilder, value: Int64) in builder.append(value) }
        let union = ArrowArray.denseUnion(type, children: [child],
                                          typeIds: [1, 1], offsets: [0, 1])
        #expect(!union.isTakeable)
        #expect(union.take([0]) == nil)
    }
}
