import Contracts
import Tabular
/// The two halves of `validators.email`: the local-part regex and `validators.domain`.
///
/// The local part must match, case-insensitively,
/// `(^[LAT]|[LATX]+(\.[LATX]+)*$|^"([LATQ]|\\[\t.])*")$` where `LAT` is U+00A0–U+024F,
/// `X` is `0-9a-z!#$%&'*+/=?^_\`{}|~-` and `Q` is the quoted-string set; Python's `$` also
/// matches before a final newline. The domain is IDNA-encoded (Python's `idna` codec:
/// nameprep, then Punycode per label) and must match
/// `^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9][a-z0-9-]{0,61}[a-z]$` with no
/// whitespace or `__` in the original text. Nameprep is approximated (case folding,
/// NFKC-free mapping of the common characters, prohibiting spaces and controls), which
/// is exact for ASCII and ordinary internationalised domains.
enum EmailAddress {
    private static let atomSymbols = Set("0123456789abcdefghijklmnopqrstuvwxyz!#$%&'*+/=?^_`{}|~-".unicodeScalars)

    private static func isLatin(_ scalar: Unicode.Scalar) -> Bool {
        (0xA0...0x24F).contains(scalar.value)
    }

    /// `re.IGNORECASE` class membership: the character, its lower- or upper-case form.
    private static func matchesClass(_ scalar: Unicode.Scalar, _ test: (Unicode.Scalar) -> Bool) -> Bool {
        if test(scalar) { return true }
        for mapped in [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping] {
            let scalars = mapped.unicodeScalars
            if scalars.count == 1, test(scalars.first!) { return true }
        }
        return false
    }

    private static func isAtom(_ scalar: Unicode.Scalar) -> Bool {
        matchesClass(scalar) { isLatin($0) || atomSymbols.contains($0) }
    }

    /// The local-part regex.
    static func isLocalPart(_ user: [Unicode.Scalar]) -> Bool {
        // Each alternative may end at the end of input or just before a final "\n".
        var bodies = [user[...]]
        if user.last == "\n" { bodies.append(user.dropLast()) }
        if user.count >= 1, matchesClass(user[0], isLatin),
           user.count == 1 || (user.count == 2 && user[1] == "\n") {
            return true
        }
        for body in bodies where isDotAtom(body) || isQuoted(body) { return true }
        return false
    }

    private static func isDotAtom(_ body: ArraySlice<Unicode.Scalar>) -> Bool {
        guard !body.isEmpty else { return false }
        var previousDot = true
        for scalar in body {
            if scalar == "." {
                if previousDot { return false }
                previousDot = true
            } else {
                guard isAtom(scalar) else { return false }
                previousDot = false
            }
        }
        return !previousDot
    }

    private static func isQuoted(_ body: ArraySlice<Unicode.Scalar>) -> Bool {
        guard body.count >= 2, body.first == "\"", body.last == "\"" else { return false }
        var inner = body.dropFirst().dropLast().makeIterator()
        while let scalar = inner.next() {
            if scalar == "\\" {
                guard let escaped = inner.next(), escaped == "\t" || escaped == "." else { return false }
                continue
            }
            let value = scalar.value
            let plain = (0x01...0x08).contains(value) || value == 0x0B || value == 0x0C
                || (0x0E...0x1F).contains(value) || value == 0x21 || (0x23...0x5B).contains(value)
                || (0x5D...0x7F).contains(value)
            guard plain || matchesClass(scalar, isLatin) else { return false }
        }
        return true
    }

    /// `validators.domain(value)` with default options.
    static func isDomain(_ domain: [Unicode.Scalar]) -> Bool {
        guard !domain.isEmpty else { return false }
        if domain.contains(where: { PythonText.isSpace($0.value) }) { return false }
        for index in domain.indices.dropLast() where domain[index] == "_" && domain[index + 1] == "_" {
            return false
        }
        guard let encoded = IDNA.encode(domain) else { return false }
        var trimmed = encoded[...]
        while trimmed.last == UInt8(ascii: ".") { trimmed = trimmed.dropLast() }
        guard trimmed.count <= 253 else { return false }
        return matchesDomainPattern(encoded.map { $0 | (StringFormats.isASCIILetter($0) ? 0x20 : 0) })
    }

    /// `^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9][a-z0-9-]{0,61}[a-z]$` on
    /// lower-cased ASCII: at least two labels, each 1–63 characters of letters, digits and
    /// inner hyphens; the last label ends with a letter and may not contain `_`.
    private static func matchesDomainPattern(_ bytes: [UInt8]) -> Bool {
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        func isAlnum(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) }
        for label in labels {
            guard (1...63).contains(label.count), isAlnum(label.first!),
                  label.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") }) else { return false }
        }
        for label in labels.dropLast() where !isAlnum(label.last!) { return false }
        // The last label is `[a-z0-9][a-z0-9-]{0,61}[a-z]`: two characters at least.
        return labels.last!.count >= 2 && (0x61...0x7A).contains(labels.last!.last!)
    }
}
