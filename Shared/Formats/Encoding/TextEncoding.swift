/// The text encodings Sluice reads, and how to tell them apart.
///
/// Detection (`TextEncoding.Detector`) works in one pass over the whole input,
/// alongside the hashing the caller does anyway, with constant memory:
///
/// 1. A UTF-16 byte-order mark (`FF FE` or `FE FF`) means UTF-16; convert it with
///    `UTF16Transcoder`.
/// 2. A UTF-8 byte-order mark means UTF-8, even if invalid bytes follow (the reader
///    then reports the line; the file claims UTF-8, so guessing would hide damage).
/// 3. Otherwise input that is entirely valid UTF-8 (including pure ASCII and empty
///    input) is UTF-8.
/// 4. Anything else is Windows-1252, the encoding of "ANSI" exports in Western
///    locales and a superset of Latin-1's printable characters; convert it with
///    `Windows1252Transcoder`.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// UTF-8, with or without a byte-order mark (readers strip the mark).
    case utf8 = "utf-8"
    /// Windows-1252 (also chosen for input declared as Latin-1 / ISO-8859-1).
    case windows1252 = "windows-1252"
    /// UTF-16 little-endian, recognised by its byte-order mark `FF FE`.
    case utf16LittleEndian = "utf-16le"
    /// UTF-16 big-endian, recognised by its byte-order mark `FE FF`.
    case utf16BigEndian = "utf-16be"

    /// Parses a configured name such as `utf-8`, `UTF8`, `windows-1252`, `cp1252`,
    /// `latin-1` or `iso-8859-1`; `nil` for `auto` or anything unknown.
    public init?(name: String) {
        let key = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch key {
        case "utf8": self = .utf8
        case "windows1252", "cp1252", "latin1", "iso88591", "l1", "ansi": self = .windows1252
        case "utf16le": self = .utf16LittleEndian
        case "utf16be": self = .utf16BigEndian
        default: return nil
        }
    }

    /// The canonical name, as stored in `SourceInfo.encoding`.
    public var description: String { rawValue }

    /// Whether bytes in this encoding must be converted before a reader sees them.
    public var needsTranscoding: Bool { self != .utf8 }

    /// Detects the encoding of a complete in-memory input.
    public static func detect(_ bytes: some Collection<UInt8>) -> TextEncoding {
        var detector = Detector()
        detector.feed(bytes)
        return detector.finish()
    }

    /// Decides the encoding from blocks fed in order; see `TextEncoding` for the rules.
    public struct Detector: Sendable {
        private var validator = UTF8Validator()
        /// The first (up to) three bytes, for the byte-order mark.
        private var head: [UInt8] = []

        /// Creates a detector for one stream.
        public init() {}

        /// Examines the next block.
        public mutating func feed(_ bytes: some Collection<UInt8>) {
            if head.count < 3 { head.append(contentsOf: bytes.prefix(3 - head.count)) }
            validator.feed(bytes)
        }

        /// The decision after the last block.
        public mutating func finish() -> TextEncoding {
            let valid = validator.finish()
            if head.starts(with: [0xFF, 0xFE]) { return .utf16LittleEndian }
            if head.starts(with: [0xFE, 0xFF]) { return .utf16BigEndian }
            if head.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8 }
            return valid ? .utf8 : .windows1252
        }

        /// Whether everything fed so far is valid UTF-8 (the underlying validator).
        public var utf8Validator: UTF8Validator { validator }
    }
}
