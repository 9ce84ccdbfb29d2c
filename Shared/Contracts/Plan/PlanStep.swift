import Tabular
/// One step of a processing plan. In JSON or YAML each step is an object whose `"op"`
/// names the case and whose other fields are the case's parameters (see
/// `ProcessingPlan` for the full format).
///
/// Column-shaping steps (`rename`, `select`, `drop`, `reorder`) and `derive` change which
/// columns later steps see; `compile(plan:columns:)` tracks that and resolves every name.
public enum PlanStep: Sendable, Hashable {
    /// `rename` — `{"columns": {"old": "new"}}`; renames happen at once, so two columns can
    /// swap names.
    case rename(columns: [String: String])
    /// `select` — keep only the listed columns, in the listed order.
    case select(columns: [String])
    /// `drop` — remove the listed columns.
    case drop(columns: [String])
    /// `reorder` — move the listed columns to the front; the rest keep their order.
    case reorder(columns: [String])
    /// `trim` — strip surrounding whitespace from text cells of the listed columns (every
    /// column when `nil`); text that becomes empty becomes null, as an empty CSV cell is.
    case trim(columns: [String]?)
    /// `case` — change the letter case of text cells (`"to": "upper" | "lower" | "title"`).
    case changeCase(columns: [String], to: TextCase)
    /// `cast` — convert a column to a type, with an optional date format.
    case cast(CastStep)
    /// `fill` — replace nulls in a column with a value.
    case fill(column: String, value: CellValue)
    /// `replace` — map whole values and/or rewrite text with a regular expression.
    case replace(ReplaceStep)
    /// `derive` — compute a new or existing column from an expression.
    case derive(DeriveStep)
    /// `filter` — keep or delete rows by rules or by an expression.
    case filter(FilterStep)
    /// `append` — records added once per job, after all chunks (see
    /// `CompiledPlan.appendedRecords()`); keys are column names at this step.
    case append(records: [[String: CellValue]])
    /// `dedupe` — mark rows with a key of these columns so a later, job-wide stage can drop
    /// repeats; at most one per plan.
    case dedupe(columns: [String])
    /// `note` — a human instruction kept with the plan; changes nothing.
    case note(text: String)
    /// `call` — one HTTP request per record, its JSON answer mapped into columns; runs in
    /// the transform service (see `CallStep`).
    case call(CallStep)
    /// `lookup` — join a stored reference table on key columns and add its columns (see
    /// `LookupStep`).
    case lookup(LookupStep)

    /// The `"op"` name of the step.
    public var op: String {
        switch self {
        case .rename: "rename"
        case .select: "select"
        case .drop: "drop"
        case .reorder: "reorder"
        case .trim: "trim"
        case .changeCase: "case"
        case .cast: "cast"
        case .fill: "fill"
        case .replace: "replace"
        case .derive: "derive"
        case .filter: "filter"
        case .append: "append"
        case .dedupe: "dedupe"
        case .note: "note"
        case .call: "call"
        case .lookup: "lookup"
        }
    }

    /// The column a single-column step is about, used in messages (`derive 'pass'`).
    public var subject: String? {
        switch self {
        case .cast(let step): step.column
        case .fill(let column, _): column
        case .replace(let step): step.column
        case .derive(let step): step.column
        default: nil
        }
    }

    /// Every op name, in documentation order.
    public static let operations = [
        "rename", "select", "drop", "reorder", "trim", "case", "cast", "fill", "replace",
        "derive", "filter", "lookup", "append", "dedupe", "note", "call",
    ]
}

/// The letter case a `case` step produces.
public enum TextCase: String, Sendable, Hashable, Codable, CaseIterable {
    /// `HELLO WORLD`.
    case upper
    /// `hello world`.
    case lower
    /// `Hello World`: the first letter of each word upper case, the rest lower case;
    /// apostrophes stay inside words (`O'neil`, `Don't`).
    case title
}

/// What a step does with a row it cannot process (a failed cast or expression).
///
/// Every choice reports the problem as a `RecordError`; they differ in what happens to the
/// row.
public enum ErrorPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Remove the row (counted in `PlanResult.dropped`). The default.
    case drop
    /// Keep the row with the cell set to null.
    case null
    /// Keep the row with the cell unchanged (null for a new derived column).
    case keep
}
