/// Reading values out of an array, and the checks that make reading safe.
extension ArrowArray {
    /// An array of no values.
    public static func empty(_ type: ArrowType) -> ArrowArray {
        switch type {
        case .null: ArrowArray(type: type, length: 0, nullCount: 0, buffers: [])
        case .utf8: ArrowArray(type: type, length: 0, nullCount: 0, buffers: [[], [0, 0, 0, 0], []])
        case .denseUnion(let fields, _):
            ArrowArray(type: type, length: 0, nullCount: 0, buffers: [[], []], children: fields.map { empty($0.type) })
        default: ArrowArray(type: type, length: 0, nullCount: 0, buffers: [[], []])
        }
    }

    /// Checks that every buffer is long enough for `length` values and that offsets and type
    /// ids stay inside what they index, so the accessors below cannot read out of bounds.
    func check() throws(ArrowFormatError) {
        // Bounded before any size is computed from it, so no arithmetic can overflow.
        guard length >= 0, length < 1 << 40 else { throw .malformed("a column has an invalid length") }
        guard nullCount >= 0, nullCount <= length else { throw .malformed("a column has an invalid null count") }
        func need(_ index: Int, _ bytes: Int, _ what: String) throws(ArrowFormatError) {
            guard buffers[index].count >= bytes else { throw .malformed("a column's \(what) buffer is too short") }
        }
        if hasValidity, nullCount > 0 { try need(0, (length + 7) / 8, "validity") }
        switch type {
        case .null:
            return
        case .int64, .float64: try need(1, 8 * length, "value")
        case .date32: try need(1, 4 * length, "value")
        case .bool: try need(1, (length + 7) / 8, "value")
        case .utf8:
            guard length > 0 else { return }
            try need(1, 4 * (length + 1), "offset")
            var previous = offset32(0)
            guard previous >= 0 else { throw .malformed("a text column's offsets are negative") }
            for index in 1...length {
                let next = offset32(index)
                guard next >= previous else { throw .malformed("a text column's offsets go backwards") }
                previous = next
            }
            guard previous <= buffers[2].count else { throw .malformed("a text column's offsets run past its data") }
        case .denseUnion(_, let typeIds):
            try need(0, length, "type id")
            try need(1, 4 * length, "offset")
            for index in 0..<length {
                guard let child = typeIds.firstIndex(of: Int8(bitPattern: buffers[0][index])) else {
                    throw .malformed("a union value has an unknown type id")
                }
                let offset = unionOffset(index)
                guard offset >= 0, offset < children[child].length else { throw .malformed("a union offset runs past its child") }
            }
        }
    }

    /// Whether the type has a validity bitmap (null and union types have none).
    var hasValidity: Bool {
        switch type {
        case .null, .denseUnion: false
        default: true
        }
    }

    /// Whether value `index` is null.
    @inline(__always)
    public func isNull(_ index: Int) -> Bool {
        switch type {
        case .null: return true
        case .denseUnion(_, let typeIds):
            let child = typeIds.firstIndex(of: Int8(bitPattern: buffers[0][index]))!
            return children[child].isNull(unionOffset(index))
        default:
            guard nullCount > 0 else { return false }
            return buffers[0][index >> 3] & (1 << UInt8(index & 7)) == 0
        }
    }

    @inline(__always)
    func offset32(_ index: Int) -> Int {
        buffers[1].withUnsafeBytes { Int(Int32(littleEndian: $0.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self))) }
    }

    /// Value `index` of an `int64` array.
    @inline(__always)
    public func int64(_ index: Int) -> Int64 {
        buffers[1].withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 8 * index, as: Int64.self)) }
    }

    /// Value `index` of a `float64` array.
    @inline(__always)
    public func float64(_ index: Int) -> Double {
        buffers[1].withUnsafeBytes {
            Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self)))
        }
    }

    /// Value `index` of a `date32` array: days since 1970-01-01.
    @inline(__always)
    public func date32(_ index: Int) -> Int32 {
        buffers[1].withUnsafeBytes { Int32(littleEndian: $0.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self)) }
    }

    /// Value `index` of a `bool` array.
    @inline(__always)
    public func bool(_ index: Int) -> Bool {
        buffers[1][index >> 3] & (1 << UInt8(index & 7)) != 0
    }

    /// Value `index` of a `utf8` array (invalid UTF-8 is repaired with U+FFFD).
    @inline(__always)
    public func string(_ index: Int) -> String {
        let start = offset32(index), end = offset32(index + 1)
        return buffers[2].withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// For a union: which child (index into `children`) holds value `index`, and where.
    @inline(__always)
    public func unionSlot(_ index: Int) -> (child: Int, offset: Int) {
        guard case .denseUnion(_, let typeIds) = type else { preconditionFailure("not a union") }
        return (typeIds.firstIndex(of: Int8(bitPattern: buffers[0][index]))!, unionOffset(index))
    }

    @inline(__always)
    func unionOffset(_ index: Int) -> Int {
        buffers[1].withUnsafeBytes { Int(Int32(littleEndian: $0.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self))) }
    }
}
