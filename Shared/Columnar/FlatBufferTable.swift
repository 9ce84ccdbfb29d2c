/// Read access to one table of a FlatBuffers buffer, checked against the buffer's bounds:
/// a malformed chunk is an error, never a crash. Slots past the vtable's end, or with offset
/// 0, are absent and read as the caller's default.
struct FlatBufferTable {
    let buffer: [UInt8]
    let position: Int
    private let vtable: Int
    private let vtableSize: Int

    /// The root table of `buffer`.
    init(root buffer: [UInt8]) throws(ArrowFormatError) {
        guard buffer.count >= 12 else { throw .malformed("a metadata flatbuffer of \(buffer.count) bytes is too short") }
        try self.init(buffer, at: Int(try Self.u32(buffer, 0)))
    }

    init(_ buffer: [UInt8], at position: Int) throws(ArrowFormatError) {
        self.buffer = buffer
        self.position = position
        guard position >= 0, position + 4 <= buffer.count else { throw .malformed("a table lies outside the metadata") }
        let soffset = Int(Int32(bitPattern: try Self.u32(buffer, position)))
        vtable = position - soffset
        guard vtable >= 0, vtable + 4 <= buffer.count else { throw .malformed("a vtable lies outside the metadata") }
        vtableSize = Int(try Self.u16(buffer, vtable))
        guard vtableSize >= 4, vtable + vtableSize <= buffer.count else { throw .malformed("a vtable is cut short") }
    }

    static func u16(_ buffer: [UInt8], _ at: Int) throws(ArrowFormatError) -> UInt16 {
        guard at >= 0, at + 2 <= buffer.count else { throw .malformed("a field lies outside the metadata") }
        return UInt16(buffer[at]) | UInt16(buffer[at + 1]) << 8
    }

    static func u32(_ buffer: [UInt8], _ at: Int) throws(ArrowFormatError) -> UInt32 {
        guard at >= 0, at + 4 <= buffer.count else { throw .malformed("a field lies outside the metadata") }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(buffer[at + $1]) << (8 * $1) }
    }

    static func i64(_ buffer: [UInt8], _ at: Int) throws(ArrowFormatError) -> Int64 {
        guard at >= 0, at + 8 <= buffer.count else { throw .malformed("a field lies outside the metadata") }
        return Int64(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(buffer[at + $1]) << (8 * $1) })
    }

    /// Where the slot's field is, or nil when it is absent.
    private func field(_ slot: Int) throws(ArrowFormatError) -> Int? {
        let entry = 4 + 2 * slot
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try Self.u16(buffer, vtable + entry))
        return offset == 0 ? nil : position + offset
    }

    func u8(_ slot: Int, default value: UInt8 = 0) throws(ArrowFormatError) -> UInt8 {
        guard let at = try field(slot) else { return value }
        guard at < buffer.count else { throw .malformed("a field lies outside the metadata") }
        return buffer[at]
    }

    func i16(_ slot: Int, default value: Int16 = 0) throws(ArrowFormatError) -> Int16 {
        guard let at = try field(slot) else { return value }
        return Int16(bitPattern: try Self.u16(buffer, at))
    }

    func i32(_ slot: Int, default value: Int32 = 0) throws(ArrowFormatError) -> Int32 {
        guard let at = try field(slot) else { return value }
        return Int32(bitPattern: try Self.u32(buffer, at))
    }

    func i64(_ slot: Int, default value: Int64 = 0) throws(ArrowFormatError) -> Int64 {
        guard let at = try field(slot) else { return value }
        return try Self.i64(buffer, at)
    }

    /// Follows the offset in `slot`.
    private func target(_ slot: Int) throws(ArrowFormatError) -> Int? {
        guard let at = try field(slot) else { return nil }
        return at + Int(try Self.u32(buffer, at))
    }

    func table(_ slot: Int) throws(ArrowFormatError) -> FlatBufferTable? {
        guard let at = try target(slot) else { return nil }
        return try FlatBufferTable(buffer, at: at)
    }

    func string(_ slot: Int) throws(ArrowFormatError) -> String? {
        guard let at = try target(slot) else { return nil }
        let count = Int(try Self.u32(buffer, at))
        guard at + 4 + count <= buffer.count else { throw .malformed("a string runs past the metadata") }
        return String(decoding: buffer[(at + 4)..<(at + 4 + count)], as: UTF8.self)
    }

    /// The tables of a vector of tables.
    func tables(_ slot: Int) throws(ArrowFormatError) -> [FlatBufferTable]? {
        guard let at = try target(slot) else { return nil }
        let count = Int(try Self.u32(buffer, at))
        guard count >= 0, at + 4 + 4 * count <= buffer.count else { throw .malformed("a vector runs past the metadata") }
        var tables: [FlatBufferTable] = []
        tables.reserveCapacity(count)
        for index in 0..<count {
            let element = at + 4 + 4 * index
            tables.append(try FlatBufferTable(buffer, at: element + Int(try Self.u32(buffer, element))))
        }
        return tables
    }

    /// A vector of structs made of `width` int64 values each.
    func structs(_ slot: Int, width: Int) throws(ArrowFormatError) -> [[Int64]]? {
        guard let at = try target(slot) else { return nil }
        let count = Int(try Self.u32(buffer, at))
        guard at + 4 + 8 * width * count <= buffer.count else { throw .malformed("a vector runs past the metadata") }
        var items: [[Int64]] = []
        items.reserveCapacity(count)
        for index in 0..<count {
            var item: [Int64] = []
            for part in 0..<width { item.append(try Self.i64(buffer, at + 4 + 8 * (width * index + part))) }
            items.append(item)
        }
        return items
    }

    /// A vector of int32.
    func int32s(_ slot: Int) throws(ArrowFormatError) -> [Int32]? {
        guard let at = try target(slot) else { return nil }
        let count = Int(try Self.u32(buffer, at))
        guard at + 4 + 4 * count <= buffer.count else { throw .malformed("a vector runs past the metadata") }
        var items: [Int32] = []
        for index in 0..<count { items.append(Int32(bitPattern: try Self.u32(buffer, at + 4 + 4 * index))) }
        return items
    }
}
