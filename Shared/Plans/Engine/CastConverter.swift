import CivilTime
import Contracts
import Tabular
/// The compiled form of a `cast` step's conversion: what a cell becomes, or why it cannot.
///
/// Nulls stay null. Non-text cells are converted through their text where that is the
/// natural reading (`20240301` with format `%Y%m%d` is a date), directly otherwise.
struct CastConverter: Sendable {
    let target: CastTarget
    let format: StrptimeFormat?
    let trueTexts: Set<String>
    let falseTexts: Set<String>

    /// Validates a cast step's parameters for `target`.
    init(_ step: CastStep) throws(PlanError) {
        target = step.to
        let isDate = step.to == .date || step.to == .datetime
        if let pattern = step.format {
            guard isDate else {
                throw PlanError(code: .invalidStep, detail: "\"format\" applies only to casts to date or datetime, "
                    + "not \(step.to.rawValue)")
            }
            do throws(StrptimeFormat.FormatError) {
                format = try StrptimeFormat(pattern, dialect: .simple)
            } catch {
                throw PlanError(error, pattern: pattern)
            }
        } else {
            format = nil
        }
        guard step.to == .boolean || (step.trueValues == nil && step.falseValues == nil) else {
            throw PlanError(code: .invalidStep, detail: "\"trueValues\" and \"falseValues\" apply only to casts "
                + "to boolean, not \(step.to.rawValue)")
        }
        trueTexts = Set((step.trueValues ?? CastStep.defaultTrueValues).map { $0.lowercased() })
        falseTexts = Set((step.falseValues ?? CastStep.defaultFalseValues).map { $0.lowercased() })
        if step.to == .boolean {
            guard !trueTexts.isEmpty, !falseTexts.isEmpty else {
                throw PlanError(code: .invalidStep, detail: "\"trueValues\" and \"falseValues\" must not be empty")
            }
            if let both = trueTexts.intersection(falseTexts).sorted().first {
                throw PlanError(code: .invalidStep, detail: "'\(both)' is in both \"trueValues\" and \"falseValues\"")
            }
        }
    }

    /// The converted cell, or `nil` when the value cannot be read as the target type.
    func convert(_ value: CellValue) -> CellValue? {
        if value.isNull { return .null }
        switch target {
        case .string:
            return .string(value.csvText)
        case .integer:
            switch value {
            case .integer: return value
            case .bool(let flag): return .integer(flag ? 1 : 0)
            case .number(let number): return CastConverter.whole(number)
            default:
                switch ValueSemantics.numeric(value) {
                case .integer(let integer)?: return .integer(integer)
                case .number(let number)?: return CastConverter.whole(number)
                case nil: return nil
                }
            }
        case .number:
            if case .bool(let flag) = value { return .number(flag ? 1 : 0) }
            return ValueSemantics.numeric(value).map { .number($0.double) }
        case .boolean:
            if case .bool = value { return value }
            let text = TextTransforms.trimmed(value.csvText).lowercased()
            if trueTexts.contains(text) { return .bool(true) }
            if falseTexts.contains(text) { return .bool(false) }
            return nil
        case .date:
            let text = TextTransforms.trimmed(value.csvText)
            if let format { return format.parse(text).map { .string($0.date.description) } }
            if text.utf8.count == 10 { return CivilDate(iso: text).map { .string($0.description) } }
            // A datetime: validate all of it, keep the date as written (before any zone shift).
            guard CivilDateTime(iso: text) != nil, let date = CivilDate(iso: text) else { return nil }
            return .string(date.description)
        case .datetime:
            let text = TextTransforms.trimmed(value.csvText)
            let parsed = format.map { $0.parse(text)?.dateTime } ?? CivilDateTime(iso: text)
            return parsed.map { .string($0.description) }
        }
    }

    /// Why `value` did not convert, for the row's error message.
    func failure(_ value: CellValue) -> String {
        let shown = "'\(value.csvText)'"
        switch target {
        case .string: return "cannot convert \(shown) to text"
        case .integer: return "cannot read \(shown) as a whole number"
        case .number: return "cannot read \(shown) as a number"
        case .boolean:
            return "cannot read \(shown) as a boolean; true is one of \(trueTexts.sorted().joined(separator: ", ")) "
                + "and false one of \(falseTexts.sorted().joined(separator: ", "))"
        case .date, .datetime:
            let kind = target == .date ? "date" : "datetime"
            if let format { return "cannot read \(shown) as a \(kind) with format '\(format.pattern)'" }
            return "cannot read \(shown) as an ISO \(kind) such as "
                + (target == .date ? "2024-03-01" : "2024-03-01T08:30:00") + " (add a \"format\" for other layouts)"
        }
    }

    /// A whole double as an integer cell; `nil` for fractions and out-of-range values.
    private static func whole(_ number: Double) -> CellValue? {
        guard number.rounded(.towardZero) == number, number >= -9.2e18, number <= 9.2e18 else { return nil }
        return .integer(Int64(number))
    }
}
