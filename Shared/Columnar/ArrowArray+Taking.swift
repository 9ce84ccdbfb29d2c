/// Gathering rows of an array into a new one, without going through values.
extension ArrowArray {
    /// Whether ``take(_:)`` can gather this array's type (every type but unions).
    public var isTakeable: Bool {
        if case .denseUnion = type { false } else { true }
    }

    /// The values at `rows`, in that order, as an array of the same type; `nil` for a type
    /// it cannot gather (unions). `rows` must be valid indices.
    ///
    /// What a stage uses to carry a column it does not change from its input chunk into its
    /// output: a filtered chunk gathers the rows it kept with one copy per buffer, instead of
    /// decoding every value and encoding it again. The result is what ``ArrowBuilder`` would
    /// make of the same values (no validity bitmap when nothing is null).
    public func take(_ rows: [Int]) -> ArrowArray? {
        guard isTakeable else { return nil }
        if rows.count == length, rows.elementsEqual(0..<length) { return self }
        let width: Int
        switch type {
        case .null: return ArrowArray(type: .null, length: rows.count, nullCount: rows.count, buffers: [])
        case .denseUnion: return nil
        case .int64, .float64: width = 8
        case .date32: width = 4
        case .bool: width = 0
        case .utf8: width = -1
        }
        let (validity, nulls) = takeValidity(rows)
        switch width {
        case 0: return ArrowArray(type: type, length: rows.count, nullCount: nulls, buffers: [validity, takeBits(buffers[1], rows)])
        case -1:
            let (offsets, data) = takeTexts(rows)
            return ArrowArray(type: type, length: rows.count, nullCount: nulls, buffers: [validity, offsets, data])
        default:
            var values = [UInt8](repeating: 0, count: width * rows.count)
            values.withUnsafeMutableBytes { target in
                buffers[1].withUnsafeBytes { source in
                    for (position, row) in rows.enumerated() {
                        (target.baseAddress! + position * width).copyMemory(from: source.baseAddress! + row * width,
                                                                            byteCount: width)
                    }
                }
            }
            return ArrowArray(type: type, length: rows.count, nullCount: nulls, buffers: [validity, values])
        }
    }

    /// The validity bitmap of `rows` and their null count (no bitmap when there are none).
    private func takeValidity(_ rows: [Int]) -> ([UInt8], Int) {
        guard nullCount > 0 else { return ([], 0) }
        let bitmap = takeBits(buffers[0], rows)
        let valid = bitmap.reduce(0) { $0 + $1.nonzeroBitCount }
        let nulls = rows.count - valid
        return nulls == 0 ? ([], 0) : (bitmap, nulls)
    }

    /// Bits `rows` of `bits`, packed least significant first.
    private func takeBits(_ bits: [UInt8], _ rows: [Int]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: (rows.count + 7) / 8)
        bits.withUnsafeBufferPointer { source in
            for (position, row) in rows.enumerated() where source[row >> 3] & (1 << UInt8(row & 7)) != 0 {
                result[position >> 3] |= 1 << UInt8(position & 7)
            }
        }
        return result
    }

    /// The offsets and text bytes of `rows` of a utf8 array.
    private func takeTexts(_ rows: [Int]) -> ([UInt8], [UInt8]) {
        var offsets = [UInt8](repeating: 0, count: 4 * (rows.count + 1))
        var data: [UInt8] = []
        buffers[1].withUnsafeBytes { source in
            func offset(_ index: Int) -> Int {
                Int(Int32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self)))
            }
            var total = 0
            for row in rows { total += offset(row + 1) - offset(row) }
            data.reserveCapacity(total)
            buffers[2].withUnsafeBufferPointer { text in
                offsets.withUnsafeMutableBytes { target in
                    for (position, row) in rows.enumerated() {
                        data.append(contentsOf: UnsafeBufferPointer(rebasing: text[offset(row)..<offset(row + 1)]))
                        target.storeBytes(of: Int32(data.count).littleEndian, toByteOffset: 4 * (position + 1),
                                          as: Int32.self)
                    }
                }
            }
        }
        return (offsets, data)
    }
}
