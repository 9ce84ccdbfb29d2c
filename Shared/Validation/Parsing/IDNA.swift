import Contracts
import Tabular
/// Python's `"idna"` codec (IDNA 2003) for domain names, as `validators.domain` uses it.
///
/// ASCII names only have their label lengths checked. Other names are split on the four
/// IDNA dots, and each non-ASCII label is nameprepped and Punycode-encoded with an
/// `xn--` prefix; labels must be 1–63 bytes. Nameprep (RFC 3491) is approximated:
/// characters mapped to nothing are dropped, case is folded with Unicode lower-casing,
/// and spaces, controls, private-use characters and surrogates are prohibited. NFKC
/// normalisation and the bidi rules are not applied, which matters only for exotic
/// compatibility characters and right-to-left labels.
enum IDNA {
    private static let dots: Set<UInt32> = [0x2E, 0x3002, 0xFF0E, 0xFF61]
    private static let mappedToNothing: Set<UInt32> = [
        0xAD, 0x34F, 0x1806, 0x180B, 0x180C, 0x180D, 0x200B, 0x200C, 0x200D, 0x2060,
        0xFE00, 0xFE01, 0xFE02, 0xFE03, 0xFE04, 0xFE05, 0xFE06, 0xFE07, 0xFE08, 0xFE09,
        0xFE0A, 0xFE0B, 0xFE0C, 0xFE0D, 0xFE0E, 0xFE0F, 0xFEFF,
    ]

    /// The ASCII form of `domain`, or `nil` where Python raises `UnicodeError`.
    static func encode(_ domain: [Unicode.Scalar]) -> [UInt8]? {
        if domain.allSatisfy({ $0.isASCII }) {
            let bytes = domain.map { UInt8($0.value) }
            let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            for label in labels.dropLast() where !(1...63).contains(label.count) { return nil }
            guard labels.last!.count < 64 else { return nil }
            return bytes
        }
        var labels = domain.split(omittingEmptySubsequences: false) { dots.contains($0.value) }
        var trailingDot = false
        if labels.last?.isEmpty == true {
            trailingDot = true
            labels.removeLast()
        }
        var result: [UInt8] = []
        for label in labels {
            if !result.isEmpty { result.append(UInt8(ascii: ".")) }
            guard let ascii = toASCII(Array(label)) else { return nil }
            result.append(contentsOf: ascii)
        }
        if trailingDot { result.append(UInt8(ascii: ".")) }
        return result
    }

    /// RFC 3490 ToASCII for one label (AllowUnassigned, no STD3 rules).
    private static func toASCII(_ label: [Unicode.Scalar]) -> [UInt8]? {
        if label.allSatisfy({ $0.isASCII }) {
            return (1...63).contains(label.count) ? label.map { UInt8($0.value) } : nil
        }
        guard let prepared = nameprep(label) else { return nil }
        if prepared.allSatisfy({ $0.isASCII }) {
            return (1...63).contains(prepared.count) ? prepared.map { UInt8($0.value) } : nil
        }
        let lowered = String(String.UnicodeScalarView(prepared)).lowercased()
        guard !lowered.hasPrefix("xn--"), let code = punycode(prepared) else { return nil }
        let encoded = Array("xn--".utf8) + code
        return (1...63).contains(encoded.count) ? encoded : nil
    }

    private static func nameprep(_ label: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        var result: [Unicode.Scalar] = []
        for scalar in label where !mappedToNothing.contains(scalar.value) {
            result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        for scalar in result {
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .control, .privateUse, .surrogate, .lineSeparator,
                 .paragraphSeparator, .format:
                return nil
            default:
                if scalar.properties.isNoncharacterCodePoint { return nil }
            }
        }
        return result
    }

    /// RFC 3492 Punycode encoding of a label (without the `xn--` prefix).
    static func punycode(_ input: [Unicode.Scalar]) -> [UInt8]? {
        let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
        var output: [UInt8] = input.filter(\.isASCII).map { UInt8($0.value) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append(UInt8(ascii: "-")) }
        var n = 0x80, delta = 0, bias = 72
        func digit(_ value: Int) -> UInt8 {
            UInt8(value < 26 ? value + 0x61 : value - 26 + 0x30)
        }
        func adapt(_ delta: Int, _ points: Int, _ first: Bool) -> Int {
            var delta = first ? delta / damp : delta / 2
            delta += delta / points
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                k += base
            }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }
        let values = input.map { Int($0.value) }
        while handled < values.count {
            guard let m = values.filter({ $0 >= n }).min() else { return nil }
            delta += (m - n) * (handled + 1)
            n = m
            for value in values {
                if value < n { delta += 1 }
                if value == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return output
    }
}
