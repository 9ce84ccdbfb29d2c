import CSluiceZlib
import Glibc

/// Writes a ZIP archive to a file, one entry after another, deflating each entry's bytes
/// as they arrive so an entry of any size needs only a fixed amount of memory.
///
/// Each local header is written with a zero CRC and zero sizes and rewritten in place
/// (`pwrite`) when its entry ends, so no data descriptors are needed; the file must be
/// seekable. Every local header reserves a 20-byte extra field, id `0x5A4C` ("LZ", an id
/// no reader interprets, so they skip it); an entry whose sizes reach 4 GiB gets that field
/// rewritten as the ZIP64 extended-information extra (id `0x0001`). The central directory
/// gets ZIP64 extras, and the archive a ZIP64 end record, only when sizes, offsets or the
/// entry count need them. Names are flagged UTF-8 (bit 11) and every entry carries the
/// timestamp 1980-01-01 00:00, so the same input gives the same bytes.
///
/// Not thread-safe. After any failure every further call rethrows the first error. An
/// archive released without `close()` is discarded (its file removed).
public final class ZipArchiveWriter {
    /// The largest size or offset a 32-bit field holds; at or beyond it ZIP64 is used.
    public static let zip64Limit: UInt64 = 0xFFFF_FFFF

    /// The archive's path.
    public let path: String
    /// The deflate level, 0…9.
    public let level: Int32

    private struct Entry {
        var name: [UInt8]
        var offset: UInt64
        var crc: UInt32 = 0
        var compressed: UInt64 = 0
        var size: UInt64 = 0
    }

    private static let capacity = 256 * 1024
    private static let paddingID: UInt16 = 0x5A4C
    private let threshold: UInt64
    private var fd: Int32
    private let buffer: UnsafeMutablePointer<UInt8>
    private var buffered = 0
    private var flushed: UInt64 = 0
    private let stream: UnsafeMutablePointer<z_stream>
    private var entries: [Entry] = []
    private var current: Entry?
    private var crc: UInt = 0
    private var failure: XLSXError?
    private var finished = false

    /// Creates (or truncates) the file at `path` for an archive deflated at `level`
    /// (clamped to 0…9). `zip64Threshold` lowers the size at which ZIP64 records are used,
    /// so tests can exercise them with small files; leave it at the default otherwise.
    ///
    /// - Throws: `XLSXError.fileNotCreated` if the file cannot be opened, `.zip` if zlib
    ///   cannot start.
    public init(path: String, level: Int32, zip64Threshold: UInt64 = ZipArchiveWriter.zip64Limit) throws(XLSXError) {
        self.path = path
        self.level = min(max(level, 0), 9)
        threshold = min(max(zip64Threshold, 1), Self.zip64Limit)
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .fileNotCreated(path: path, reason: XLSXError.systemText(errno)) }
        buffer = .allocate(capacity: Self.capacity)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = sluice_deflate_init_raw(stream, self.level)
        guard status == Z_OK else {
            discard()
            throw .zip(operation: "deflateInit2", reason: "zlib status \(status)")
        }
    }

    /// Discards the archive if it was never closed, and releases zlib's state.
    deinit {
        if !finished { discard() }
        deflateEnd(stream)
        stream.deallocate()
        buffer.deallocate()
    }

    /// Starts an entry named `name` (a `/`-separated path); the previous one must be ended.
    public func beginEntry(_ name: String) throws(XLSXError) {
        try check(current == nil, "beginEntry", "the previous entry is still open")
        let entry = Entry(name: Array(name.utf8), offset: flushed + UInt64(buffered))
        try put(localHeader(entry))
        current = entry
        crc = 0
    }

    /// Deflates `bytes` into the current entry.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(XLSXError) {
        try check(current != nil, "write", "no entry is open")
        guard var base = bytes.baseAddress?.assumingMemoryBound(to: Bytef.self) else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let chunk = min(remaining, 1 << 30)
            crc = crc32(crc, base, UInt32(chunk))
            stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
            stream.pointee.avail_in = UInt32(chunk)
            try deflateInput(Z_NO_FLUSH)
            current!.size += UInt64(chunk)
            base += chunk
            remaining -= chunk
        }
    }

    /// Deflates `bytes` into the current entry.
    public func write(_ bytes: [UInt8]) throws(XLSXError) {
        var thrown: XLSXError?
        bytes.withUnsafeBytes { raw in
            do throws(XLSXError) { try write(raw) } catch { thrown = error }
        }
        if let thrown { throw thrown }
    }

    /// Ends the current entry: finishes its deflate stream and rewrites its local header
    /// with the CRC-32 and sizes.
    public func endEntry() throws(XLSXError) {
        try check(current != nil, "endEntry", "no entry is open")
        try deflateInput(Z_FINISH)
        deflateReset(stream)
        try flush()
        var entry = current!
        entry.crc = UInt32(truncatingIfNeeded: crc)
        let header = localHeader(entry)
        let written = header.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(entry.offset)) }
        if written != header.count { try fail(.writeFailed(path: path, operation: "pwrite", reason: XLSXError.systemText(errno))) }
        entries.append(entry)
        current = nil
    }

    /// Ends the open entry if any, writes the central directory and end records, and
    /// closes the file.
    public func close() throws(XLSXError) {
        if current != nil { try endEntry() }
        try check(!finished, "close", "the archive is already closed")
        let directoryOffset = flushed + UInt64(buffered)
        for entry in entries { try put(centralHeader(entry)) }
        let directorySize = flushed + UInt64(buffered) - directoryOffset
        let count = UInt64(entries.count)
        var end: [UInt8] = []
        if count >= 0xFFFF || directoryOffset >= threshold || directorySize >= threshold {
            let recordOffset = directoryOffset + directorySize
            end.le(0x0606_4B50, 4); end.le(44, 8); end.le(45, 2); end.le(45, 2); end.le(0, 4); end.le(0, 4)
            end.le(count, 8); end.le(count, 8); end.le(directorySize, 8); end.le(directoryOffset, 8)
            end.le(0x0706_4B50, 4); end.le(0, 4); end.le(recordOffset, 8); end.le(1, 4)
        }
        end.le(0x0605_4B50, 4); end.le(0, 2); end.le(0, 2)
        end.le(min(count, 0xFFFF), 2); end.le(min(count, 0xFFFF), 2)
        end.le(clamp(directorySize), 4); end.le(clamp(directoryOffset), 4); end.le(0, 2)
        try put(end)
        try flush()
        finished = true
        let status = Glibc.close(fd)
        fd = -1
        if status != 0 {
            let reason = XLSXError.systemText(errno)
            unlink(path)  // not a complete archive: nothing is left behind
            try fail(.writeFailed(path: path, operation: "close", reason: reason))
        }
    }

    /// Abandons the archive: closes the file and removes it. Safe to call more than once.
    public func discard() {
        finished = true
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
            unlink(path)
        }
        if failure == nil { failure = .zip(operation: "discard", reason: "the archive was discarded") }
    }

    /// The local header of `entry`: zero CRC and sizes with padding while it is written,
    /// the real values (and a ZIP64 extra in the padding's place if needed) once ended.
    private func localHeader(_ entry: Entry) -> [UInt8] {
        let zip64 = entry.size >= threshold || entry.compressed >= threshold
        var bytes: [UInt8] = []
        bytes.le(0x0403_4B50, 4); bytes.le(zip64 ? 45 : 20, 2); bytes.le(0x0800, 2); bytes.le(8, 2)
        bytes.le(0, 2); bytes.le(0x0021, 2); bytes.le(UInt64(entry.crc), 4)
        bytes.le(zip64 ? Self.zip64Limit : entry.compressed, 4); bytes.le(zip64 ? Self.zip64Limit : entry.size, 4)
        bytes.le(UInt64(entry.name.count), 2); bytes.le(20, 2)
        bytes += entry.name
        if zip64 {
            bytes.le(0x0001, 2); bytes.le(16, 2); bytes.le(entry.size, 8); bytes.le(entry.compressed, 8)
        } else {
            bytes.le(UInt64(Self.paddingID), 2); bytes.le(16, 2); bytes.le(0, 8); bytes.le(0, 8)
        }
        return bytes
    }

    /// The central directory header of `entry`, with a ZIP64 extra holding whichever of its
    /// sizes and offset do not fit in 32 bits.
    private func centralHeader(_ entry: Entry) -> [UInt8] {
        var extra: [UInt8] = []
        for value in [entry.size, entry.compressed, entry.offset] where value >= threshold { extra.le(value, 8) }
        if !extra.isEmpty { extra = [0x01, 0x00, UInt8(extra.count), 0x00] + extra }
        var bytes: [UInt8] = []
        bytes.le(0x0201_4B50, 4); bytes.le(0x032D, 2); bytes.le(extra.isEmpty ? 20 : 45, 2)
        bytes.le(0x0800, 2); bytes.le(8, 2); bytes.le(0, 2); bytes.le(0x0021, 2); bytes.le(UInt64(entry.crc), 4)
        bytes.le(clamp(entry.compressed), 4); bytes.le(clamp(entry.size), 4)
        bytes.le(UInt64(entry.name.count), 2); bytes.le(UInt64(extra.count), 2); bytes.le(0, 2)
        bytes.le(0, 2); bytes.le(0, 2); bytes.le(0o100644 << 16, 4); bytes.le(clamp(entry.offset), 4)
        return bytes + entry.name + extra
    }

    /// `value`, or the ZIP64 marker 0xFFFFFFFF when it is at or over the threshold.
    private func clamp(_ value: UInt64) -> UInt64 { value >= threshold ? Self.zip64Limit : value }

    /// Runs deflate over the pending input (or to the end of the stream for `Z_FINISH`),
    /// emptying the buffer into the file whenever it fills.
    private func deflateInput(_ mode: Int32) throws(XLSXError) {
        while true {
            if buffered == Self.capacity { try flush() }
            let room = Self.capacity - buffered
            stream.pointee.next_out = buffer + buffered
            stream.pointee.avail_out = UInt32(room)
            let status = deflate(stream, mode)
            let produced = room - Int(stream.pointee.avail_out)
            buffered += produced
            current!.compressed += UInt64(produced)
            if mode == Z_FINISH, status == Z_STREAM_END { return }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                try fail(.zip(operation: "deflate", reason: "zlib status \(status)"))
            }
            if mode != Z_FINISH, stream.pointee.avail_in == 0 { return }
        }
    }

    /// Appends `bytes` to the buffer, flushing as needed.
    private func put(_ bytes: [UInt8]) throws(XLSXError) {
        var index = 0
        while index < bytes.count {
            if buffered == Self.capacity { try flush() }
            let count = min(bytes.count - index, Self.capacity - buffered)
            bytes.withUnsafeBufferPointer { (buffer + buffered).update(from: $0.baseAddress! + index, count: count) }
            buffered += count
            index += count
        }
    }

    /// Writes the buffer to the file.
    private func flush() throws(XLSXError) {
        var start = 0
        while start < buffered {
            let written = Glibc.write(fd, buffer + start, buffered - start)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                try fail(.writeFailed(path: path, operation: "write", reason: XLSXError.systemText(errno)))
            }
            start += written
        }
        flushed += UInt64(buffered)
        buffered = 0
    }

    /// Throws the first failure again, or a misuse error if `condition` is false.
    private func check(_ condition: Bool, _ operation: String, _ reason: String) throws(XLSXError) {
        if let failure { throw failure }
        if !condition { throw .zip(operation: operation, reason: reason) }
    }

    /// Records `error` as the archive's failure and throws it.
    private func fail(_ error: XLSXError) throws(XLSXError) -> Never {
        if failure == nil { failure = error }
        throw error
    }
}

extension [UInt8] {
    /// Appends the low `count` bytes of `value`, least significant first.
    fileprivate mutating func le(_ value: UInt64, _ count: Int) {
        for index in 0..<count { append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }
}
