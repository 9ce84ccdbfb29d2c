import Tabular
/// Parameters of a `cast` step: convert one column's cells to a type.
///
///     {"op": "cast", "column": "born", "to": "date", "format": "%d/%m/%Y", "onError": "null"}
///
/// Nulls stay null and are never errors. Results are typed cells; dates and datetimes are
/// ISO 8601 text (`2024-03-01`, `2024-03-01T08:30:00`), the form every later stage reads.
public struct CastStep: Sendable, Hashable {
    /// The column to convert.
    public var column: String
    /// The target type.
    public var to: CastTarget
    /// For `date` and `datetime`: a strptime-like pattern (see `CivilTime.StrptimeFormat`, simple dialect); without one,
    /// ISO 8601 is expected.
    public var format: String?
    /// For `boolean`: the texts meaning true (case-insensitive); default
    /// `true, t, yes, y, 1`.
    public var trueValues: [String]?
    /// For `boolean`: the texts meaning false (case-insensitive); default
    /// `false, f, no, n, 0`.
    public var falseValues: [String]?
    /// What to do with a cell that does not convert; default `drop`.
    public var onError: ErrorPolicy

    /// Creates cast parameters.
    public init(column: String, to: CastTarget, format: String? = nil, trueValues: [String]? = nil,
                falseValues: [String]? = nil, onError: ErrorPolicy = .drop) {
        self.column = column
        self.to = to
        self.format = format
        self.trueValues = trueValues
        self.falseValues = falseValues
        self.onError = onError
    }

    /// Default texts read as `true` by a boolean cast.
    public static let defaultTrueValues = ["true", "t", "yes", "y", "1"]
    /// Default texts read as `false` by a boolean cast.
    public static let defaultFalseValues = ["false", "f", "no", "n", "0"]
}

/// The types a `cast` step converts to.
public enum CastTarget: String, Sendable, Hashable, Codable, CaseIterable {
    /// Text: the value as a CSV cell shows it.
    case string
    /// A 64-bit integer; decimals are accepted only when whole (`12.0`), never rounded.
    case integer
    /// A floating-point number.
    case number
    /// `true` or `false`, read with the step's true/false texts.
    case boolean
    /// An ISO date `YYYY-MM-DD`.
    case date
    /// An ISO datetime `YYYY-MM-DDTHH:MM:SS`, with `Z` when read with a zone.
    case datetime
}
