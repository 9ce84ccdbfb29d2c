import CivilTime
import Columnar
import Tabular

/// Reading a column back into cells, one tight loop per Arrow type.
extension CellColumn {
    /// Every cell of `array`, in row order (any type Sluice writes; a date reads as its ISO text).
    static func cells(_ array: ArrowArray) -> [CellValue] {
        let count = array.length
        switch array.type {
        case .null:
            return Array(repeating: .null, count: count)
        case .int64:
            return read(array, null: CellValue.null) { raw, index in .integer(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * index, as: Int64.self))) }
        case .float64:
            return read(array, null: CellValue.null) { raw, index in
                let value = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self)))
                // A whole number reads as an integer, as it did when chunks travelled as JSON: a
                // number cell read from `95` prints `95`, and `round(…)` giving 30 prints `30`.
                if value.rounded(.towardZero) == value, value.magnitude < exactIntegers { return .integer(Int64(value)) }
                return .number(value)
            }
        case .bool:
            return read(array, null: CellValue.null) { raw, index in .bool(raw[index >> 3] & (1 << UInt8(index & 7)) != 0) }
        case .date32:
            return read(array, null: CellValue.null) { raw, index in
                let days = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self))
                return CivilDate(daysSinceEpoch: Int(days)).map { .string($0.description) } ?? .null
            }
        case .utf8:
            return texts(array, null: .null) { .string($0) }
        case .denseUnion(_, let typeIds):
            let children = array.children.map(cells)
            var child = [Int](repeating: 0, count: 256)
            for (index, id) in typeIds.enumerated() { child[Int(UInt8(bitPattern: id))] = index }
            var result: [CellValue] = []
            result.reserveCapacity(count)
            array.buffers[0].withUnsafeBufferPointer { ids in
                array.buffers[1].withUnsafeBytes { offsets in
                    for index in 0..<count {
                        let offset = Int(Int32(littleEndian: offsets.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self)))
                        result.append(children[child[Int(ids[index])]][offset])
                    }
                }
            }
            return result
        }
    }

    /// Every value of a `utf8` array as `text(value)`, `null` for a null (invalid UTF-8 is
    /// repaired with U+FFFD): the one loop over offsets that records and ``TextChunk`` share.
    @inline(__always)
    static func texts<T>(_ array: ArrowArray, null: T, _ text: (String) -> T) -> [T] {
        guard array.length > 0 else { return [] }
        return array.buffers[2].withUnsafeBufferPointer { data in
            read(array, null: null) { raw, index in
                let start = Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self)))
                let end = Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * index + 4, as: Int32.self)))
                return text(String(decoding: UnsafeBufferPointer(rebasing: data[start..<end]), as: UTF8.self))
            }
        }
    }

    /// Reads `array`'s values buffer (buffer 1) row by row with `value`, nulls from its validity.
    @inline(__always)
    private static func read<T>(_ array: ArrowArray, null: T,
                                _ value: (UnsafeRawBufferPointer, Int) -> T) -> [T] {
        var result: [T] = []
        result.reserveCapacity(array.length)
        let hasNulls = array.nullCount > 0
        array.buffers[0].withUnsafeBufferPointer { validity in
            array.buffers[1].withUnsafeBytes { raw in
                for index in 0..<array.length {
                    if hasNulls, validity[index >> 3] & (1 << UInt8(index & 7)) == 0 {
                        result.append(null)
                    } else {
                        result.append(value(raw, index))
                    }
                }
            }
        }
        return result
    }
}
