import Contracts
import Tabular
/// The `string` formats frictionless checks — `uri`, `uuid`, `binary` and `email` — with
/// the exact rules of the Python libraries it delegates to.
///
/// These are intentionally not "correct" validators: frictionless's verdicts come from
/// `rfc3986` (a URI only needs a scheme), `uuid.UUID` (hyphens and braces anywhere,
/// `urn:uuid:` prefixes), `base64.b64decode` (non-alphabet characters are skipped) and
/// `validators.email` (a Django-style local part plus an IDNA-encoded domain), and the
/// oracle compares against those verdicts.
enum StringFormats {
    /// `rfc3986` with `require_presence_of("scheme")`: the text must start with
    /// `[A-Za-z][A-Za-z0-9+.-]*:`; nothing else is validated.
    static func isURI(_ text: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        guard let first = bytes.next(), isASCIILetter(first) else { return false }
        while let byte = bytes.next() {
            if byte == UInt8(ascii: ":") { return true }
            guard isASCIILetter(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") else { return false }
        }
        return false
    }

    /// `uuid.UUID(text)` succeeds: drop `urn:` and `uuid:`, strip `{`/`}` at the ends,
    /// drop every `-`, then exactly 32 code points that `int(…, 16)` reads as a
    /// non-negative number (so `_` separators and a `0x` prefix count, as in Python).
    static func isUUID(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        var scalars = Array(text.unicodeScalars)
        scalars = PythonText.replace(scalars, Array("urn:".unicodeScalars), with: [])
        scalars = PythonText.replace(scalars, Array("uuid:".unicodeScalars), with: [])
        while let first = scalars.first, first == "{" || first == "}" { scalars.removeFirst() }
        while let last = scalars.last, last == "{" || last == "}" { scalars.removeLast() }
        scalars.removeAll { $0 == "-" }
        guard scalars.count == 32 else { return false }
        let ascii = PythonText.asciiForInt(String(String.UnicodeScalarView(scalars)))
        let parsed = ascii.withUnsafeBufferPointer { PythonNumberSyntax.parseInt($0, base: 16) }
        switch parsed {
        case .small(let value)?: return value >= 0
        case .big(let value)?: return !value.isNegative
        case nil: return false
        }
    }

    /// `base64.b64decode(text)` without `validate=True`: ASCII only; characters outside
    /// the alphabet are skipped; `=` ends the data once a quad has at least two
    /// characters; otherwise the data must end on a quad boundary.
    static func isBase64(_ text: String) -> Bool {
        var quadPosition = 0
        var pads = 0
        for byte in text.utf8 {
            guard byte < 0x80 else { return false }
            if byte == UInt8(ascii: "=") {
                if quadPosition >= 2 {
                    pads += 1
                    if quadPosition + pads >= 4 { return true }
                }
                continue
            }
            guard isBase64Alphabet(byte) else { continue }
            pads = 0
            quadPosition = (quadPosition + 1) % 4
        }
        return quadPosition == 0
    }

    private static func isBase64Alphabet(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "/")
    }

    @inline(__always)
    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// `validators.email(text)` with its defaults.
    static func isEmail(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty, scalars.filter({ $0 == "@" }).count == 1,
              let at = scalars.firstIndex(of: "@") else { return false }
        let user = Array(scalars[..<at]), domain = Array(scalars[(at + 1)...])
        guard user.count <= 64, domain.count <= 253, EmailAddress.isLocalPart(user) else {
            return false
        }
        return EmailAddress.isDomain(domain)
    }
}
