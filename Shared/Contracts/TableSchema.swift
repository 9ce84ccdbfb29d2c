/// A Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/).
///
/// Only what the current pipeline enforces is modelled; unknown properties are ignored on
/// decode so full Table Schema documents are accepted as they are.
public struct TableSchema: Codable, Sendable, Hashable {
    /// The declared fields, in order. Every declared field must appear in the header.
    public var fields: [Field]
    /// Cell texts that mean "no value" (Table Schema default: the empty string).
    public var missingValues: [String]?

    /// Creates a schema.
    public init(fields: [Field], missingValues: [String]? = nil) {
        self.fields = fields
        self.missingValues = missingValues
    }

    /// One column of a Table Schema.
    public struct Field: Codable, Sendable, Hashable {
        /// The column name as it appears in the header.
        public var name: String
        /// The Table Schema type (`string`, `integer`, `number`, …); informational for now.
        public var type: String?
        /// Constraints on the column's cells.
        public var constraints: Constraints?

        /// Creates a field.
        public init(name: String, type: String? = nil, constraints: Constraints? = nil) {
            self.name = name
            self.type = type
            self.constraints = constraints
        }
    }

    /// Field constraints.
    public struct Constraints: Codable, Sendable, Hashable {
        /// A cell must not be missing.
        public var required: Bool?

        /// Creates constraints.
        public init(required: Bool? = nil) { self.required = required }
    }

    /// The effective missing-value texts.
    public var effectiveMissingValues: Set<String> { Set(missingValues ?? [""]) }
}
