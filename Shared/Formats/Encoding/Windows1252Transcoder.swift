/// Converts Windows-1252 bytes to UTF-8, block by block.
///
/// Windows-1252 is what "ANSI" files from Excel and older Windows programs in
/// Western locales use; it agrees with Latin-1 (ISO-8859-1) on every printable
/// character and adds typographic characters at 0x80–0x9F (€ at 0x80, curly quotes,
/// dashes, Š, Œ, Ÿ…). The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F,
/// 0x90, 0x9D) become U+FFFD. Every byte is one character, so blocks may split
/// anywhere and the transcoder needs no state: feed the output to `CSVReader` or any
/// reader of this module.
public struct Windows1252Transcoder: Sendable {
    /// The UTF-8 encoding of each byte from 0x80 to 0xFF.
    private static let table: [[UInt8]] = (0x80...0xFF).map { byte in
        Array(String(Windows1252Transcoder.scalar(for: UInt8(byte))).utf8)
    }

    /// The characters of 0x80–0x9F; `nil` where Windows-1252 defines none.
    private static let high: [UInt32?] = [
        0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
        nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178,
    ]

    /// Creates a transcoder.
    public init() {}

    /// The Unicode character a Windows-1252 byte stands for (U+FFFD if undefined).
    public static func scalar(for byte: UInt8) -> Unicode.Scalar {
        switch byte {
        case 0x80...0x9F:
            high[Int(byte - 0x80)].flatMap(Unicode.Scalar.init) ?? "\u{FFFD}"
        default:
            Unicode.Scalar(byte)
        }
    }

    /// Converts one block and returns its UTF-8 bytes.
    public func transcode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        transcode(bytes, into: &output)
        return output
    }

    /// Converts one block, appending its UTF-8 bytes to `output`.
    public func transcode(_ bytes: some Collection<UInt8>, into output: inout [UInt8]) {
        output.reserveCapacity(output.count + bytes.count + bytes.count / 8)
        let done: Void? = bytes.withContiguousStorageIfAvailable { convert($0, into: &output) }
        if done == nil {
            Array(bytes).withUnsafeBufferPointer { convert($0, into: &output) }
        }
    }

    /// Converts a complete in-memory text to a `String`.
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: Windows1252Transcoder().transcode(bytes), as: UTF8.self)
    }

    private func convert(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let count = input.count
        var index = 0
        while index < count {
            // Copy runs of ASCII in one go.
            let start = index
            while index < count, input[index] < 0x80 { index += 1 }
            if index > start { output.append(contentsOf: input[start..<index]) }
            guard index < count else { return }
            output.append(contentsOf: Self.table[Int(input[index] - 0x80)])
            index += 1
        }
    }
}
