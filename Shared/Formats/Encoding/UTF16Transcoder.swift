/// Converts UTF-16 bytes (little- or big-endian) to UTF-8, block by block.
///
/// Excel's "Unicode Text" export and some Windows tools write UTF-16 with a
/// byte-order mark; `TextEncoding.detect` recognises the mark and this transcoder
/// turns such input into the UTF-8 every reader expects. The mark itself is dropped.
/// Blocks may split anywhere, even between the two bytes of a code unit or between
/// the halves of a surrogate pair. Unpaired surrogates and a dangling odd byte at the
/// end become U+FFFD, the way a text editor shows them.
public struct UTF16Transcoder: Sendable {
    /// Whether code units are little-endian (`FF FE` mark) or big-endian (`FE FF`).
    public let littleEndian: Bool

    /// The first byte of a code unit split across blocks.
    private var pendingByte: UInt8?
    /// A high surrogate waiting for its low half.
    private var pendingHigh: UInt16?
    /// Whether the first code unit (a possible byte-order mark) was seen.
    private var started = false

    /// Creates a transcoder for one stream of the given byte order.
    public init(littleEndian: Bool) {
        self.littleEndian = littleEndian
    }

    /// Converts one block and returns its UTF-8 bytes.
    public mutating func transcode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        transcode(bytes, into: &output)
        return output
    }

    /// Converts one block, appending its UTF-8 bytes to `output`.
    public mutating func transcode(_ bytes: some Collection<UInt8>, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + bytes.count)
        for byte in bytes {
            guard let first = pendingByte else {
                pendingByte = byte
                continue
            }
            pendingByte = nil
            let unit = littleEndian ? UInt16(byte) << 8 | UInt16(first) : UInt16(first) << 8 | UInt16(byte)
            if !started {
                started = true
                if unit == 0xFEFF { continue }
            }
            take(unit, into: &output)
        }
    }

    /// Ends the stream, appending U+FFFD for an incomplete unit or pair. The
    /// transcoder is then reset for reuse.
    public mutating func finish(into output: inout [UInt8]) {
        if pendingHigh != nil || pendingByte != nil { append(nil, to: &output) }
        self = UTF16Transcoder(littleEndian: littleEndian)
    }

    /// Converts a complete in-memory text to a `String`.
    public static func decode(_ bytes: some Collection<UInt8>, littleEndian: Bool) -> String {
        var transcoder = UTF16Transcoder(littleEndian: littleEndian)
        var output = transcoder.transcode(bytes)
        transcoder.finish(into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private mutating func take(_ unit: UInt16, into output: inout [UInt8]) {
        if let high = pendingHigh {
            pendingHigh = nil
            if (0xDC00...0xDFFF).contains(unit) {
                let value = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00)
                append(Unicode.Scalar(value), to: &output)
                return
            }
            append(nil, to: &output)
        }
        switch unit {
        case 0xD800...0xDBFF: pendingHigh = unit
        case 0xDC00...0xDFFF: append(nil, to: &output)
        default: append(Unicode.Scalar(unit), to: &output)
        }
    }

    private func append(_ scalar: Unicode.Scalar?, to output: inout [UInt8]) {
        let scalar = scalar ?? "\u{FFFD}"
        if scalar.value < 0x80 {
            output.append(UInt8(scalar.value))
        } else {
            output.append(contentsOf: UTF8.encode(scalar)!)
        }
    }
}
