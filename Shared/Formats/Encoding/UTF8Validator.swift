import Tabular

/// Checks, block by block, whether a byte stream is valid UTF-8.
///
/// Encoding detection must be decidable in one pass over the whole input (the caller
/// hashes every byte anyway), so the validator is fed the same blocks and keeps only
/// a few bytes of state: a multi-byte sequence may be split across blocks anywhere.
/// It follows the Unicode definition of well-formed UTF-8 (Table 3-7): no overlong
/// forms, no surrogates (`ED A0`–`ED BF`), nothing above U+10FFFF.
///
/// ```swift
/// var validator = UTF8Validator()
/// for block in blocks { validator.feed(block) }
/// let isUTF8 = validator.finish()
/// ```
public struct UTF8Validator: Sendable, Hashable {
    /// Whether every byte so far is valid UTF-8 (a sequence still open at the end of
    /// the last block counts as valid until `finish()` says otherwise).
    public private(set) var isValid = true

    /// Whether any byte so far was 0x80 or above.
    public private(set) var sawNonASCII = false

    /// The stream offset of the first byte that made the input invalid, if any.
    public private(set) var firstInvalidOffset: Int?

    /// How many bytes were fed so far.
    public private(set) var byteCount = 0

    /// Continuation bytes still expected for the open sequence.
    private var needed = 0
    /// The allowed range of the next continuation byte.
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    /// Where the open sequence started, for `firstInvalidOffset`.
    private var sequenceStart = 0

    /// Creates a validator for one stream.
    public init() {}

    /// Checks the next block. Once invalid, further blocks are only counted.
    public mutating func feed(_ bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { check($0) }
        if done == nil {
            Array(bytes).withUnsafeBufferPointer { check($0) }
        }
    }

    /// Ends the stream: a sequence left open makes the input invalid. Returns `isValid`.
    @discardableResult
    public mutating func finish() -> Bool {
        if isValid, needed > 0 { fail(at: sequenceStart) }
        needed = 0
        return isValid
    }

    /// Whether `bytes` (a complete input) is valid UTF-8.
    public static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        var validator = UTF8Validator()
        validator.feed(bytes)
        return validator.finish()
    }

    private mutating func check(_ buffer: UnsafeBufferPointer<UInt8>) {
        defer { byteCount += buffer.count }
        guard isValid else { return }
        let count = buffer.count
        var index = 0
        while index < count {
            if needed == 0 {
                index = ASCIIText.firstNonASCII(buffer, from: index)
                guard index < count else { return }
                sawNonASCII = true
                let lead = buffer[index]
                sequenceStart = byteCount + index
                index += 1
                guard let sequence = Self.sequence(lead: lead) else {
                    fail(at: sequenceStart)
                    return
                }
                (needed, lower, upper) = sequence
            } else {
                let byte = buffer[index]
                guard byte >= lower, byte <= upper else {
                    fail(at: byteCount + index)
                    return
                }
                index += 1
                lower = 0x80
                upper = 0xBF
                needed -= 1
            }
        }
    }

    /// For a lead byte of a multi-byte sequence: how many continuation bytes follow and the
    /// allowed range of the first one (later ones are 0x80…0xBF), as Unicode's table of
    /// well-formed UTF-8 has it; `nil` for a byte that cannot start a sequence.
    static func sequence(lead: UInt8) -> (needed: Int, lower: UInt8, upper: UInt8)? {
        switch lead {
        case 0xC2...0xDF: (1, 0x80, 0xBF)
        case 0xE0: (2, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (2, 0x80, 0xBF)
        case 0xED: (2, 0x80, 0x9F)
        case 0xF0: (3, 0x90, 0xBF)
        case 0xF1...0xF3: (3, 0x80, 0xBF)
        case 0xF4: (3, 0x80, 0x8F)
        default: nil
        }
    }

    private mutating func fail(at offset: Int) {
        isValid = false
        firstInvalidOffset = offset
    }
}
