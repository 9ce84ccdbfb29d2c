import Contracts
import Tabular
/// An exact decimal number with Python `decimal.Decimal` semantics for equality and order.
///
/// frictionless reads `number` cells as `Decimal`, so `0.1 + 0.2`-style binary rounding
/// never enters its `minimum`, `enum` and `unique` checks: `"1.0"` equals `"1"`, and
/// `"0.30000000000000001"` is greater than `0.3`. Comparing Swift `Double`s would get such
/// cases wrong, so bounds, enum membership and uniqueness use this type; the `Double`
/// is only produced for the typed output cell.
///
/// The value is `digits × 10^exponent` with no leading or trailing zero digits (zero has
/// no digits), so equal values have equal representations.
struct DecimalNumber: Hashable, Sendable {
    /// Finite, infinite or not-a-number (Python also accepts `NaN` and `Infinity`).
    enum Kind: UInt8, Sendable { case finite, infinity, nan }

    var kind: Kind
    var isNegative: Bool
    /// Coefficient digits as values 0…9, most significant first.
    var digits: [UInt8]
    var exponent: Int

    /// Creates a normalised number from raw coefficient digits.
    init(kind: Kind = .finite, isNegative: Bool = false, digits: [UInt8] = [], exponent: Int = 0) {
        self.kind = kind
        self.isNegative = isNegative
        var low = 0, high = digits.count
        var exponent = exponent
        while low < high, digits[low] == 0 { low += 1 }
        while high > low, digits[high - 1] == 0 { high -= 1; exponent += 1 }
        // Reuse the caller's array when it is already normalised (the common case).
        self.digits = low == 0 && high == digits.count ? digits : Array(digits[low..<high])
        self.exponent = low == high ? 0 : exponent
        if kind == .finite, low == high { self.isNegative = false }
    }

    /// The number equal to `value`.
    init(_ value: Int64) {
        let magnitude = value.magnitude
        self.init(isNegative: value < 0, digits: String(magnitude).utf8.map { $0 - 0x30 })
    }

    /// Whether the number is finite and has no fractional part.
    var isIntegral: Bool { kind == .finite && exponent >= 0 }

    /// The value as `Int64` if it is integral and fits.
    var int64Value: Int64? {
        guard isIntegral, digits.count + exponent <= 19 else { return nil }
        var result: Int64 = 0
        for digit in digits {
            let (times, o1) = result.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int64(digit))
            if o1 || o2 { return nil }
            result = plus
        }
        for _ in 0..<exponent {
            let (times, overflow) = result.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            result = times
        }
        return isNegative ? -result : result
    }

    /// Three-way comparison, or `nil` when either side is NaN (Python raises or says
    /// "not equal" there; callers decide which).
    func compare(_ other: DecimalNumber) -> Int? {
        if kind == .nan || other.kind == .nan { return nil }
        let lhsSign = signum, rhsSign = other.signum
        if lhsSign != rhsSign { return lhsSign < rhsSign ? -1 : 1 }
        if lhsSign == 0 { return 0 }
        let magnitude = compareMagnitude(other)
        return isNegative ? -magnitude : magnitude
    }

    private var signum: Int {
        if kind == .finite && digits.isEmpty { return 0 }
        return isNegative ? -1 : 1
    }

    private func compareMagnitude(_ other: DecimalNumber) -> Int {
        if kind == .infinity || other.kind == .infinity {
            if kind == other.kind { return 0 }
            return kind == .infinity ? 1 : -1
        }
        let lhsAdjusted = exponent + digits.count
        let rhsAdjusted = other.exponent + other.digits.count
        if lhsAdjusted != rhsAdjusted { return lhsAdjusted < rhsAdjusted ? -1 : 1 }
        for index in 0..<max(digits.count, other.digits.count) {
            let lhs = index < digits.count ? digits[index] : 0
            let rhs = index < other.digits.count ? other.digits[index] : 0
            if lhs != rhs { return lhs < rhs ? -1 : 1 }
        }
        return 0
    }

    /// A canonical text equal for equal values (Python's `Decimal` hash classes), or `nil`
    /// for NaN, which Python never finds equal to anything — not even another NaN.
    var key: String? {
        switch kind {
        case .nan: return nil
        case .infinity: return isNegative ? "-inf" : "inf"
        case .finite:
            if digits.isEmpty { return "0" }
            var text = isNegative ? "-" : ""
            text.unicodeScalars.append(contentsOf: digits.map { Unicode.Scalar($0 + 0x30) })
            return text + "e" + String(exponent)
        }
    }

    /// The nearest `Double`: exact arithmetic for up to 15 digits and small exponents
    /// (both operands exact, one correctly rounded operation), the text parser otherwise.
    var doubleValue: Double {
        switch kind {
        case .nan: return .nan
        case .infinity: return isNegative ? -.infinity : .infinity
        case .finite:
            if digits.isEmpty { return isNegative ? -0.0 : 0.0 }
            if digits.count <= 15, (-22...22).contains(exponent) {
                var coefficient: UInt64 = 0
                for digit in digits { coefficient = coefficient * 10 + UInt64(digit) }
                let scale = Self.powersOfTen[abs(exponent)]
                let magnitude = exponent >= 0 ? Double(coefficient) * scale : Double(coefficient) / scale
                return isNegative ? -magnitude : magnitude
            }
            if exponent > 400 { return isNegative ? -.infinity : .infinity }
            if exponent + digits.count < -400 { return isNegative ? -0.0 : 0.0 }
            var text = isNegative ? "-" : ""
            text.unicodeScalars.append(contentsOf: digits.map { Unicode.Scalar($0 + 0x30) })
            return Double(text + "e" + String(exponent)) ?? .nan
        }
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// Human text: plain notation for ordinary magnitudes, `1.5E+40` style otherwise.
    var plainText: String {
        switch kind {
        case .nan: return "NaN"
        case .infinity: return isNegative ? "-Infinity" : "Infinity"
        case .finite: break
        }
        if digits.isEmpty { return "0" }
        let sign = isNegative ? "-" : ""
        let body = String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
        let adjusted = exponent + digits.count - 1
        if exponent >= 0, adjusted < 40 {
            return sign + body + String(repeating: "0", count: exponent)
        }
        if exponent < 0, adjusted >= -20 {
            let point = digits.count + exponent
            if point > 0 {
                return sign + String(body.prefix(point)) + "." + String(body.dropFirst(point))
            }
            return sign + "0." + String(repeating: "0", count: -point) + body
        }
        let fraction = body.dropFirst()
        let mantissa = fraction.isEmpty ? String(body.prefix(1)) : body.prefix(1) + "." + fraction
        return sign + mantissa + "E" + (adjusted >= 0 ? "+" : "") + String(adjusted)
    }
}

extension DecimalNumber {
    /// The exact value of a binary double, as Python's `Decimal(float)` computes it, so a
    /// JSON float like `90.1` compares and hashes exactly as frictionless sees it.
    init(exactly value: Double) {
        if value.isNaN { self.init(kind: .nan); return }
        if value.isInfinite { self.init(kind: .infinity, isNegative: value < 0); return }
        if value == 0 { self.init(); return }
        var significand = value.significandBitPattern
        var binaryExponent = Int(value.exponentBitPattern)
        if binaryExponent == 0 {
            binaryExponent = -1074
        } else {
            significand |= 1 << 52
            binaryExponent -= 1075
        }
        var big = LimbNumber(significand)
        var decimalExponent = 0
        if binaryExponent >= 0 {
            for _ in 0..<binaryExponent { big.multiply(by: 2) }
        } else {
            // m × 2^-k = m × 5^k × 10^-k keeps everything integral.
            for _ in 0..<(-binaryExponent) { big.multiply(by: 5) }
            decimalExponent = binaryExponent
        }
        self.init(isNegative: value < 0, digits: big.decimalDigits, exponent: decimalExponent)
    }
}

/// A small unsigned big integer in base 10⁹, just enough for exact double conversion.
private struct LimbNumber {
    var limbs: [UInt64]  // little-endian, each < 10⁹

    init(_ value: UInt64) {
        limbs = []
        var rest = value
        repeat {
            limbs.append(rest % 1_000_000_000)
            rest /= 1_000_000_000
        } while rest > 0
    }

    mutating func multiply(by factor: UInt64) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            let product = limbs[index] * factor + carry
            limbs[index] = product % 1_000_000_000
            carry = product / 1_000_000_000
        }
        while carry > 0 {
            limbs.append(carry % 1_000_000_000)
            carry /= 1_000_000_000
        }
    }

    var decimalDigits: [UInt8] {
        var digits: [UInt8] = []
        for (offset, limb) in limbs.reversed().enumerated() {
            let text = String(limb)
            if offset > 0 {
                digits.append(contentsOf: repeatElement(0, count: 9 - text.utf8.count))
            }
            digits.append(contentsOf: text.utf8.map { $0 - 0x30 })
        }
        return digits
    }
}
