import Tabular
extension TableSchema {
    /// One column of a Table Schema.
    ///
    /// Type-specific properties (`trueValues`, `decimalChar`, …) live on every field, as in
    /// the JSON; they are simply ignored for types they do not apply to, which is what
    /// frictionless does too.
    public struct Field: Codable, Sendable, Hashable {
        /// The column name; it is matched to the header exactly (case and Unicode form).
        public var name: String
        /// The Table Schema type (`string`, `integer`, `date`, …); absent means `string`.
        ///
        /// Kept as text so an unknown type still decodes and can be reported by the
        /// compiler with the field's name instead of failing the whole document.
        public var type: String?
        /// The type's format: `email`, `uri`, `uuid`, `binary` for strings; `default`,
        /// `any` or a strptime pattern such as `%d/%m/%Y` for dates and times; `array` or
        /// `object` for geopoints.
        public var format: String?
        /// A human title; informational.
        public var title: String?
        /// A human description; informational.
        public var description: String?
        /// Texts read as `true` by a boolean field (default `true`, `True`, `TRUE`, `1`).
        public var trueValues: [String]?
        /// Texts read as `false` by a boolean field (default `false`, `False`, `FALSE`, `0`).
        public var falseValues: [String]?
        /// The decimal separator of a number field (default `.`).
        public var decimalChar: String?
        /// The thousands separator of a number field (default none).
        public var groupChar: String?
        /// Whether numbers are bare; `false` strips leading and trailing non-digits such as
        /// currency signs or `%` before reading the number (default `true`).
        public var bareNumber: Bool?
        /// Missing-value texts for this field only, overriding the schema's (Table Schema v2).
        public var missingValues: [String]?
        /// Constraints on the column's cells.
        public var constraints: Constraints?

        /// Creates a field.
        public init(
            name: String,
            type: String? = nil,
            format: String? = nil,
            title: String? = nil,
            description: String? = nil,
            trueValues: [String]? = nil,
            falseValues: [String]? = nil,
            decimalChar: String? = nil,
            groupChar: String? = nil,
            bareNumber: Bool? = nil,
            missingValues: [String]? = nil,
            constraints: Constraints? = nil
        ) {
            self.name = name
            self.type = type
            self.format = format
            self.title = title
            self.description = description
            self.trueValues = trueValues
            self.falseValues = falseValues
            self.decimalChar = decimalChar
            self.groupChar = groupChar
            self.bareNumber = bareNumber
            self.missingValues = missingValues
            self.constraints = constraints
        }

        /// The declared type, or `string` when none is given (the Table Schema default).
        public var effectiveType: String { type ?? "string" }

        /// The declared format, or `default`.
        public var effectiveFormat: String { format ?? "default" }

        /// Whether the field must have a value (`constraints.required`).
        public var isRequired: Bool { constraints?.required ?? false }

        /// Whether the field's values must be unique (`constraints.unique`).
        public var isUnique: Bool { constraints?.unique ?? false }
    }
}

/// The Table Schema field types, with what each one accepts.
///
/// The constraint lists are frictionless's `supported_constraints` (plus `unique`, which
/// every type accepts); frictionless rejects a schema that puts any other constraint on a
/// field, and so does ``CompiledSchema``.
public enum FieldType: String, CaseIterable, Sendable, Codable {
    /// Text; formats `default`, `email`, `uri`, `uuid`, `binary`.
    case string
    /// A whole number of any size.
    case integer
    /// A decimal number; honours `decimalChar`, `groupChar`, `bareNumber`.
    case number
    /// `trueValues`/`falseValues`.
    case boolean
    /// A calendar date; formats `default` (ISO), `any`, or a strptime pattern.
    case date
    /// A time of day, optionally with a UTC offset.
    case time
    /// A date and time, optionally with a UTC offset.
    case datetime
    /// A year 0…9999.
    case year
    /// A year and month, `YYYY-MM`.
    case yearmonth
    /// An ISO 8601 duration such as `P1DT2H`.
    case duration
    /// A longitude/latitude pair; formats `default` (`"lon, lat"`), `array`, `object`.
    case geopoint
    /// A JSON object.
    case object
    /// A JSON array.
    case array
    /// Anything; the text is kept as is.
    case any

    /// Constraint names the type supports, in frictionless's checking order.
    public var supportedConstraints: [String] {
        switch self {
        case .string: return ["required", "unique", "minLength", "maxLength", "pattern", "enum"]
        case .integer, .number, .date, .time, .datetime, .year, .yearmonth:
            return ["required", "unique", "minimum", "maximum", "exclusiveMinimum",
                    "exclusiveMaximum", "enum"]
        case .object, .array: return ["required", "unique", "minLength", "maxLength", "enum"]
        case .boolean, .duration, .geopoint, .any: return ["required", "unique", "enum"]
        }
    }

    /// The fixed format names the type accepts, or `nil` when any strptime pattern is
    /// allowed (`date`, `time`, `datetime`) or the format is ignored.
    public var namedFormats: [String]? {
        switch self {
        case .string: return ["default", "email", "uri", "uuid", "binary"]
        case .geopoint: return ["default", "array", "object"]
        default: return nil
        }
    }

    /// Whether values of this type are ordered, i.e. `minimum`/`maximum` make sense.
    public var isOrdered: Bool { supportedConstraints.contains("minimum") }

    /// Whether `minLength`/`maxLength` apply.
    public var hasLength: Bool { supportedConstraints.contains("minLength") }

    /// Whether `format` is a date/time pattern (`default`, `any` or strptime).
    public var isTemporal: Bool { self == .date || self == .time || self == .datetime }
}
