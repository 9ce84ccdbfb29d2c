import CivilTime
import Contracts
import Tabular
/// A parsed ISO 8601 duration with isodate's semantics.
///
/// isodate returns a `timedelta` when there are no years or months, and its own
/// `Duration` (exact `Decimal` years and months plus a `timedelta`) otherwise. The two
/// behave differently in Python and the oracle sees both: `Duration.__eq__` compares
/// `years * 12 + months`, so `P1Y` equals `P12M` in an `enum`, but `Duration.__hash__`
/// hashes `(timedelta, months, years)` separately, so the same pair is *not* a duplicate
/// for `unique`. ``equalityKey`` and ``hashKey`` keep those two notions apart.
struct DurationValue: Sendable, Hashable {
    /// Exact years and months, or `nil` for a plain `timedelta`.
    var years: DecimalNumber?
    var months: DecimalNumber?
    /// The `timedelta` part in microseconds.
    var micros: Int128

    /// `timedelta(0) - value` / `Duration(0) - value` when `negative`, checking that the
    /// negated `timedelta` is still in range (the range is not symmetric).
    func negated(_ negative: Bool) -> DurationValue? {
        guard negative else { return self }
        guard TimedeltaArithmetic.inRange(-micros) else { return nil }
        return DurationValue(years: years.map(Self.negate), months: months.map(Self.negate),
                             micros: -micros)
    }

    private static func negate(_ value: DecimalNumber) -> DecimalNumber {
        var copy = value
        if !(copy.kind == .finite && copy.digits.isEmpty) { copy.isNegative.toggle() }
        return copy
    }

    /// Equal for values Python's `==` finds equal (used by `enum`).
    var equalityKey: String {
        guard let years, let months else { return "td" + String(micros) }
        // years * 12 + months, exactly when both are whole numbers that fit in 64 bits.
        if let y = years.int64Value, let m = months.int64Value {
            let (scaled, o1) = y.multipliedReportingOverflow(by: 12)
            let (sum, o2) = scaled.addingReportingOverflow(m)
            if !o1 && !o2 { return "du" + String(sum) + ":" + String(micros) }
        }
        return "du" + (years.key ?? "") + "y" + (months.key ?? "") + "m:" + String(micros)
    }

    /// Equal for values Python's `hash` and `==` both match (used by `unique`).
    var hashKey: String {
        guard let years, let months else { return "td" + String(micros) }
        return "dh" + String(micros) + ":" + (months.key ?? "") + ":" + (years.key ?? "")
    }

    /// ISO 8601 text: `P1Y2M3DT4H5M6.5S`, `-PT1S`, `PT0S`.
    var isoText: String {
        let negative = micros < 0 || (years?.isNegative ?? false) || (months?.isNegative ?? false)
        var rest = micros.magnitude
        let fraction = rest % 1_000_000; rest /= 1_000_000
        let seconds = rest % 60; rest /= 60
        let minutes = rest % 60; rest /= 60
        let hours = rest % 24
        let days = rest / 24
        var text = negative ? "-P" : "P"
        if let years, years.digits.count > 0 { text += Self.unsigned(years) + "Y" }
        if let months, months.digits.count > 0 { text += Self.unsigned(months) + "M" }
        if days > 0 { text += String(days) + "D" }
        var time = ""
        if hours > 0 { time += String(hours) + "H" }
        if minutes > 0 { time += String(minutes) + "M" }
        if seconds > 0 || fraction > 0 {
            time += String(seconds)
            if fraction > 0 {
                var digits = ISOText.padded(Int(fraction), 6)
                while digits.hasSuffix("0") { digits.removeLast() }
                time += "." + digits
            }
            time += "S"
        }
        if !time.isEmpty { text += "T" + time }
        return text == "P" || text == "-P" ? "PT0S" : text
    }

    private static func unsigned(_ value: DecimalNumber) -> String {
        var copy = value
        copy.isNegative = false
        return copy.plainText
    }
}

/// CPython's `timedelta(days=…, seconds=…, minutes=…, hours=…, weeks=…)` with float
/// arguments, reproduced exactly.
///
/// `delta_new` accumulates each argument with `accum()`: the float is split by `modf`, the
/// whole part is multiplied exactly (Python integers), the fraction is multiplied by the
/// unit in double precision and split again, and all leftover fractions are summed and
/// rounded at the end with round-half-to-even on the total. The result must fit
/// `timedelta`'s range of ±999,999,999 days, otherwise Python raises `OverflowError`.
/// Matching this bit for bit is what makes `PT1.0000005S` 1 second and 1 microsecond.
enum TimedeltaArithmetic {
    /// The largest whole-day count a `timedelta` can hold.
    static let maxDays: Int128 = 999_999_999

    /// Total microseconds, or `nil` on overflow.
    static func micros(days: Double, seconds: Double, minutes: Double, hours: Double,
                       weeks: Double) -> Int128? {
        var total: Int128 = 0
        var leftover = 0.0
        // The order of delta_new: seconds, minutes, hours, days, weeks.
        let parts: [(Double, Int128)] = [
            (seconds, 1_000_000), (minutes, 60_000_000), (hours, 3_600_000_000),
            (days, 86_400_000_000), (weeks, 604_800_000_000),
        ]
        for (value, factor) in parts {
            guard value.isFinite else { return nil }
            let whole = value.rounded(.towardZero)
            // Anything this large overflows the day range no matter what follows.
            guard whole.magnitude < 1e15 else { return nil }
            total += Int128(whole) * factor
            let fraction = value - whole
            if fraction == 0 { continue }
            let scaled = Double(factor) * fraction
            let scaledWhole = scaled.rounded(.towardZero)
            total += Int128(scaledWhole)
            leftover += scaled - scaledWhole
        }
        if leftover != 0 {
            var whole = leftover.rounded(.toNearestOrAwayFromZero)
            if (whole - leftover).magnitude == 0.5 {
                let odd = Double(total & 1)
                whole = 2.0 * ((leftover + odd) * 0.5).rounded(.toNearestOrAwayFromZero) - odd
            }
            total += Int128(whole)
        }
        return inRange(total) ? total : nil
    }

    /// Whether `micros` normalises to a day count within ±999,999,999.
    static func inRange(_ micros: Int128) -> Bool {
        let perDay: Int128 = 86_400_000_000
        let days = micros >= 0 ? micros / perDay : -((-micros + perDay - 1) / perDay)
        return days >= -maxDays && days <= maxDays
    }
}
