import Tabular
/// Fast UTF-8 decoding for byte slices that are usually ASCII.
enum UTF8Text {
    /// Decodes UTF-8, or returns `nil` if the bytes are not valid UTF-8.
    ///
    /// Most cells are ASCII, which cannot be invalid; those take the cheaper
    /// non-validating initialiser, and only the rest pay for strict validation.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if ASCIIText.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

}
