#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into lines for the line-oriented readers.
///
/// Lines end at LF; a CR right before the LF is removed, so CRLF and LF files read the
/// same. A UTF-8 byte-order mark at the very start is stripped. Blocks may split
/// anywhere; a line that straddles blocks is buffered (and only such a line), up to
/// `maxLineBytes`, so memory stays bounded by the longest line.
struct LineSplitter: Sendable {
    /// The longest line accepted, in bytes, not counting the line break.
    let maxLineBytes: Int
    /// The 1-based number of the line currently being read.
    private(set) var line = 1
    /// Bytes of the current line that arrived in earlier blocks.
    private var pending: [UInt8] = []
    /// Strips a byte-order mark at the start.
    private var bom = LeadingBOMFilter()

    init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// Hands every line completed by `input` to `body` together with its number.
    mutating func split(
        _ input: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws(FormatError) -> Void
    ) throws(FormatError) {
        var start = 0
        if !bom.decided {
            let taken = bom.take(input)
            start = taken.start
            try taken.replay.withUnsafeBufferPointer { (held) throws(FormatError) in
                try scan(held, body)
            }
        }
        try scan(UnsafeBufferPointer(rebasing: input[start...]), body)
    }

    /// Hands over the last line when the input does not end with a line break.
    mutating func finish(
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws(FormatError) -> Void
    ) throws(FormatError) {
        defer { self = LineSplitter(maxLineBytes: maxLineBytes) }
        if !bom.decided {
            try bom.flush().withUnsafeBufferPointer { (held) throws(FormatError) in
                try scan(held, body)
            }
        }
        guard !pending.isEmpty else { return }
        let last = pending
        try last.withUnsafeBufferPointer { (buffer) throws(FormatError) in
            try emit(buffer, body)
        }
    }

    private mutating func scan(
        _ input: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws(FormatError) -> Void
    ) throws(FormatError) {
        guard let base = input.baseAddress else { return }
        let end = input.count
        var start = 0
        while start < end {
            guard let found = memchr(base + start, 0x0A, end - start) else {
                pending.append(contentsOf: input[start..<end])
                try checkLength(pending.count)
                return
            }
            let stop = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            if pending.isEmpty {
                try emit(UnsafeBufferPointer(rebasing: input[start..<stop]), body)
            } else {
                pending.append(contentsOf: input[start..<stop])
                let joined = pending
                pending.removeAll(keepingCapacity: true)
                try joined.withUnsafeBufferPointer { (buffer) throws(FormatError) in
                    try emit(buffer, body)
                }
            }
            line += 1
            start = stop + 1
        }
    }

    /// Drops a trailing CR, enforces the length limit and calls `body`.
    private func emit(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws(FormatError) -> Void
    ) throws(FormatError) {
        var count = bytes.count
        if count > 0, bytes[count - 1] == 0x0D { count -= 1 }
        try checkLength(count)
        try body(UnsafeBufferPointer(rebasing: bytes[0..<count]), line)
    }

    private func checkLength(_ count: Int) throws(FormatError) {
        guard count > maxLineBytes else { return }
        throw FormatError(.recordTooLong, line: line, message:
            "Line \(line) is longer than the limit of \(maxLineBytes) bytes. Check that "
            + "the file really has one record per line, or raise the record size limit.")
    }
}
