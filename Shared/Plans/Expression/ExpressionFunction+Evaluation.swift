import CivilTime
import Contracts
import Tabular
/// The implementations of the built-in functions.
extension ExpressionFunction {
    /// Calls the function. Arguments are evaluated here, not before, so `if` and
    /// `coalesce` evaluate only what they need.
    func evaluate(_ arguments: [BoundExpression.Node], _ row: [CellValue]) throws(ExpressionError) -> CellValue {
        switch self {
        case .conditional:
            let condition = try ValueSemantics.truth(arguments[0].evaluate(row), context: "if()")
            return try (condition == true ? arguments[1] : arguments[2]).evaluate(row)
        case .coalesce:
            for argument in arguments {
                let value = try argument.evaluate(row)
                if !value.isNull { return value }
            }
            return .null
        case .concat:
            var result = ""
            for argument in arguments { result += try argument.evaluate(row).csvText }
            return .string(result)
        case .min, .max:
            return try extreme(arguments, row)
        case .today:
            return .string(PlanDates.effective.today)
        case .runDate:
            return .string(PlanDates.effective.runDate)
        default:
            var values: [CellValue] = []
            values.reserveCapacity(arguments.count)
            for argument in arguments { values.append(try argument.evaluate(row)) }
            return try apply(values)
        }
    }

    /// Functions whose arguments are all evaluated first.
    private func apply(_ values: [CellValue]) throws(ExpressionError) -> CellValue {
        let first = values[0]
        switch self {
        case .isNull:
            return .bool(first.isNull)
        case .round:
            return try round(first, values.count > 1 ? values[1] : .integer(0), digitsGiven: values.count > 1)
        case .floor, .ceil, .abs:
            return try numeric(first)
        case .upper: return ExpressionFunction.text(first).map { .string($0.uppercased()) } ?? .null
        case .lower: return ExpressionFunction.text(first).map { .string($0.lowercased()) } ?? .null
        case .trim:
            return ExpressionFunction.text(first).map { .string(TextTransforms.trimmed($0)) } ?? .null
        case .length: return ExpressionFunction.text(first).map { .integer(Int64($0.count)) } ?? .null
        case .substr:
            return try substring(values)
        case .replace:
            guard let text = ExpressionFunction.text(first), let find = ExpressionFunction.text(values[1]),
                  let with = ExpressionFunction.text(values[2]) else { return .null }
            return .string(find.isEmpty ? text : text.replacing(find, with: with))
        case .contains, .startsWith, .endsWith:
            guard let text = ExpressionFunction.text(first), let part = ExpressionFunction.text(values[1])
            else { return .null }
            switch self {
            case .contains: return .bool(part.isEmpty || text.contains(part))
            case .startsWith: return .bool(text.hasPrefix(part))
            default: return .bool(text.hasSuffix(part))
            }
        case .toNumber, .toInteger:
            return convert(first)
        case .toString:
            return first.isNull ? .null : .string(first.csvText)
        case .year, .month, .day:
            guard let date = try date(first) else { return .null }
            return .integer(Int64(self == .year ? date.year : self == .month ? date.month : date.day))
        case .dateDiff:
            return try dateDifference(values)
        case .conditional, .coalesce, .concat, .min, .max, .today, .runDate:
            return .null  // handled in `evaluate`
        }
    }

    private func round(_ value: CellValue, _ digitsValue: CellValue,
                       digitsGiven: Bool) throws(ExpressionError) -> CellValue {
        guard let number = try number(value, "x"), let digits = try integer(digitsValue, "digits") else { return .null }
        guard case .number(let x) = number else {
            guard digits < 0, case .integer(let integer) = number else { return number.cell }
            return ExpressionFunction.roundToPower(Double(integer), -digits)
        }
        if digits <= 0 { return ExpressionFunction.roundToPower(x, -digits) }
        guard digits <= 15 else { return .number(x) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (x * scale).rounded(.toNearestOrAwayFromZero) / scale
        return .number(scaled.isFinite ? scaled : x)
    }

    /// Rounds to a multiple of `10^power` (power ≥ 0), as an integer when it fits.
    private static func roundToPower(_ x: Double, _ power: Int) -> CellValue {
        var scale = 1.0
        for _ in 0..<Swift.min(power, 300) { scale *= 10 }
        return integral((x / scale).rounded(.toNearestOrAwayFromZero) * scale)
    }

    private func numeric(_ value: CellValue) throws(ExpressionError) -> CellValue {
        guard let number = try number(value, "x") else { return .null }
        switch (self, number) {
        case (.abs, .integer(let integer)):
            return integer == .min ? .number(-Double(integer)) : .integer(Swift.abs(integer))
        case (.abs, .number(let double)): return .number(Swift.abs(double))
        case (_, .integer(let integer)): return .integer(integer)
        case (.floor, .number(let double)): return ExpressionFunction.integral(double.rounded(.down))
        case (_, .number(let double)): return ExpressionFunction.integral(double.rounded(.up))
        }
    }

    private func substring(_ values: [CellValue]) throws(ExpressionError) -> CellValue {
        guard let text = ExpressionFunction.text(values[0]), let start = try integer(values[1], "start")
        else { return .null }
        var length = Int.max
        if values.count > 2 {
            guard let given = try integer(values[2], "length") else { return .null }
            guard given >= 0 else {
                throw ExpressionError(message: "substr() needs a length of 0 or more, but got \(given)",
                                      value: String(given))
            }
            length = given
        }
        // SQL semantics: characters at 1-based positions start ..< start + length that exist.
        let from = Swift.max(start, 1)
        let end = length == Int.max ? Int.max : start + length
        guard end > from else { return .string("") }
        let dropped = text.dropFirst(from - 1)
        return .string(String(end == Int.max ? dropped : dropped.prefix(end - from)))
    }

    private func convert(_ value: CellValue) -> CellValue {
        let number: ValueSemantics.Numeric?
        if case .bool(let flag) = value {
            number = .integer(flag ? 1 : 0)
        } else {
            number = ValueSemantics.numeric(value)
        }
        guard let number else { return .null }
        guard self == .toInteger, case .number(let double) = number else { return number.cell }
        let truncated = double.rounded(.towardZero)
        return truncated >= -9.2e18 && truncated <= 9.2e18 ? .integer(Int64(truncated)) : .null
    }

    private func extreme(_ arguments: [BoundExpression.Node], _ row: [CellValue]) throws(ExpressionError) -> CellValue {
        var best: CellValue = .null
        for argument in arguments {
            let value = try argument.evaluate(row)
            if value.isNull { continue }
            if best.isNull { best = value; continue }
            let order = try ValueSemantics.ordering(value, best, operator: "\(name)()")
            if (self == .min && order < 0) || (self == .max && order > 0) { best = value }
        }
        return best
    }

    private func dateDifference(_ values: [CellValue]) throws(ExpressionError) -> CellValue {
        guard let unitText = ExpressionFunction.text(values[0]) else { return .null }
        let unit = unitText.lowercased()
        guard ExpressionFunction.dateUnits.contains(unit) else {
            throw ExpressionError(message: "date_diff() unit must be 'days', 'months' or 'years', "
                + "not '\(unitText)'", value: unitText)
        }
        guard let from = try date(values[1]), let to = try date(values[2]) else { return .null }
        switch unit {
        case "days": return .integer(Int64(to.daysSinceEpoch - from.daysSinceEpoch))
        case "months": return .integer(Int64(from.months(to: to)))
        default: return .integer(Int64(from.months(to: to) / 12))
        }
    }
}
