/// Builds one array of a primitive type value by value: the validity bitmap is kept as it
/// goes and dropped at the end when nothing was null (as Arrow writers do).
public struct ArrowBuilder: Sendable {
    public let type: ArrowType
    public private(set) var count = 0
    public private(set) var nullCount = 0
    private var validity: [UInt8] = []
    private var values: [UInt8] = []
    /// utf8 offsets, as numbers until `finish` (appending four bytes at a time cost a
    /// generic append per value).
    private var offsets: [Int32] = []

    /// A builder of `type` (not a union: unions are assembled from builders of their kinds).
    public init(_ type: ArrowType, capacity: Int = 0) {
        precondition({ if case .denseUnion = type { false } else { true } }(), "build unions from their children")
        self.type = type
        validity.reserveCapacity((capacity + 7) / 8)
        switch type {
        case .int64, .float64: values.reserveCapacity(8 * capacity)
        case .date32: values.reserveCapacity(4 * capacity)
        case .utf8:
            offsets.reserveCapacity(capacity + 1)
            values.reserveCapacity(16 * capacity)  // a guess at the text; it grows if short
            appendOffset(0)
        default: break
        }
    }

    @inline(__always)
    private mutating func appendOffset(_ value: Int) {
        // utf8 has 32-bit offsets: 2 GiB of text per column. Chunks are cut at a few MiB, so
        // reaching it is a bug, and silently wrapped offsets would corrupt the chunk.
        precondition(value <= Int(Int32.max), "a utf8 column of a chunk exceeds 2 GiB")
        offsets.append(Int32(value).littleEndian)
    }

    @inline(__always)
    private mutating func mark(valid: Bool) {
        if count & 7 == 0 { validity.append(0) }
        if valid { validity[count >> 3] |= 1 << UInt8(count & 7) } else { nullCount += 1 }
        count += 1
    }

    /// Appends a null.
    public mutating func appendNull() {
        switch type {
        case .int64, .float64: values.append(contentsOf: repeatElement(0, count: 8))
        case .date32: values.append(contentsOf: repeatElement(0, count: 4))
        case .bool: if count & 7 == 0 { values.append(0) }
        case .utf8: appendOffset(values.count)
        case .null, .denseUnion: break
        }
        mark(valid: false)
    }

    /// Appends an `int64` value.
    public mutating func append(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { values.append(contentsOf: $0) }
        mark(valid: true)
    }

    /// Appends a `float64` value.
    public mutating func append(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { values.append(contentsOf: $0) }
        mark(valid: true)
    }

    /// Appends a `date32` value (days since 1970-01-01).
    public mutating func append(days value: Int32) {
        withUnsafeBytes(of: value.littleEndian) { values.append(contentsOf: $0) }
        mark(valid: true)
    }

    /// Appends a `bool` value.
    public mutating func append(_ value: Bool) {
        if count & 7 == 0 { values.append(0) }
        if value { values[count >> 3] |= 1 << UInt8(count & 7) }
        mark(valid: true)
    }

    /// Appends a `utf8` value.
    public mutating func append(_ value: String) {
        var value = value
        value.withUTF8 { values.append(contentsOf: $0) }
        appendOffset(values.count)
        mark(valid: true)
    }

    /// The array; the builder is spent.
    public func finish() -> ArrowArray {
        let validity = nullCount == 0 ? [] : self.validity
        switch type {
        case .null: return ArrowArray(type: .null, length: count, nullCount: count, buffers: [])
        case .utf8:
            let offsetBytes = offsets.withUnsafeBytes { Array($0) }  // stored little-endian already
            return ArrowArray(type: type, length: count, nullCount: nullCount, buffers: [validity, offsetBytes, values])
        default: return ArrowArray(type: type, length: count, nullCount: nullCount, buffers: [validity, values])
        }
    }
}

extension ArrowArray {
    /// A dense union of `children` (one per field of `type`): per value, the type id of the
    /// child holding it and its offset in that child.
    public static func denseUnion(_ type: ArrowType, children: [ArrowArray], typeIds: [Int8],
                                  offsets: [Int32]) -> ArrowArray {
        precondition(typeIds.count == offsets.count, "one type id and one offset per value")
        var offsetBytes: [UInt8] = []
        offsetBytes.reserveCapacity(4 * offsets.count)
        for offset in offsets { withUnsafeBytes(of: offset.littleEndian) { offsetBytes.append(contentsOf: $0) } }
        return ArrowArray(type: type, length: typeIds.count, nullCount: 0,
                          buffers: [typeIds.map { UInt8(bitPattern: $0) }, offsetBytes], children: children)
    }
}
