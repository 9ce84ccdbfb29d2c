/// Decoding of XML character data and attribute values.
enum XMLText {
    /// Decodes entity and character references and normalizes line ends (CRLF and
    /// lone CR become LF, as the XML spec requires); `nil` if the bytes are not UTF-8.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.contains(where: { $0 == UInt8(ascii: "&") || $0 == 0x0D }) else {
            return UTF8Text.decode(bytes)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            if byte == 0x0D {
                out.append(0x0A)
                index += 1
                if index < end, bytes[index] == 0x0A { index += 1 }
            } else if byte == UInt8(ascii: "&"), let semicolon = bytes[index..<min(end, index + 12)]
                .firstIndex(of: UInt8(ascii: ";")),
                let scalar = reference(UnsafeBufferPointer(rebasing: bytes[(index + 1)..<semicolon])) {
                out.append(contentsOf: UTF8.encode(scalar)!)
                index = semicolon + 1
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out.withUnsafeBufferPointer { UTF8Text.decode($0) }
    }

    /// The character a reference body (between `&` and `;`) stands for; `nil` leaves
    /// an unknown reference as literal text.
    private static func reference(_ body: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        let name = String(decoding: body, as: UTF8.self)
        switch name {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default: break
        }
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let value = digits.first == "x" || digits.first == "X"
            ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
        guard let value, value != 0 else { return value == 0 ? "\u{FFFD}" : nil }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }
}
