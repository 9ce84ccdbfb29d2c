import Tabular
/// A Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/).
///
/// This is the plain, decoded document: it travels inside JSON messages, so it stays a
/// value type that round-trips through `JSONEncoder`/`JSONDecoder` unchanged and carries
/// no compiled state. Unknown properties (`foreignKeys`, `$schema`, `title`, …) are
/// ignored on decode so real-world schemas are accepted as they are. Whether the schema
/// makes sense (known types, valid patterns, keys naming real fields) is checked by
/// ``CompiledSchema/init(schema:)``, not here, so a bad schema can still be decoded,
/// stored and reported on.
public struct TableSchema: Codable, Sendable, Hashable {
    /// The declared fields, in order.
    public var fields: [Field]
    /// Cell texts that mean "no value" (Table Schema default: `[""]`).
    public var missingValues: [String]?
    /// The fields whose combined values identify a row. JSON may spell a single-field key
    /// as a bare string; it is normalised to a one-element array on decode.
    public var primaryKey: [String]?
    /// Further combinations of fields whose values must be unique across the table.
    public var uniqueKeys: [[String]]?

    /// Creates a schema.
    public init(
        fields: [Field],
        missingValues: [String]? = nil,
        primaryKey: [String]? = nil,
        uniqueKeys: [[String]]? = nil
    ) {
        self.fields = fields
        self.missingValues = missingValues
        self.primaryKey = primaryKey
        self.uniqueKeys = uniqueKeys
    }

    /// The effective missing-value texts of the schema (fields may override them).
    public var effectiveMissingValues: Set<String> { Set(missingValues ?? [""]) }

    /// The field called `name`, if any; names are compared exactly, as in the header.
    public func field(named name: String) -> Field? {
        fields.first { $0.name.utf8.elementsEqual(name.utf8) }
    }

    private enum CodingKeys: String, CodingKey {
        case fields, missingValues, primaryKey, uniqueKeys
    }

    /// Decodes a schema, accepting `primaryKey` as a string or an array of strings.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fields = try container.decode([Field].self, forKey: .fields)
        missingValues = try container.decodeIfPresent([String].self, forKey: .missingValues)
        uniqueKeys = try container.decodeIfPresent([[String]].self, forKey: .uniqueKeys)
        if let single = try? container.decodeIfPresent(String.self, forKey: .primaryKey) {
            primaryKey = [single]
        } else {
            primaryKey = try container.decodeIfPresent([String].self, forKey: .primaryKey)
        }
    }

    /// Encodes the schema; `primaryKey` is always written as an array, which every Table
    /// Schema reader accepts.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(fields, forKey: .fields)
        try container.encodeIfPresent(missingValues, forKey: .missingValues)
        try container.encodeIfPresent(primaryKey, forKey: .primaryKey)
        try container.encodeIfPresent(uniqueKeys, forKey: .uniqueKeys)
    }
}

extension TableSchema {
    /// The constraints of one field, as written in the schema.
    ///
    /// Bounds and `enum` entries stay in their JSON form (``SchemaValue``) because their
    /// meaning depends on the field's type and format: `"minimum": "01/02/2024"` is only a
    /// date once the field says its format is `%d/%m/%Y`. The compiler casts them.
    public struct Constraints: Codable, Sendable, Hashable {
        /// A cell must not be missing (empty or one of the missing values).
        public var required: Bool?
        /// No two rows may have the same non-missing value.
        public var unique: Bool?
        /// The smallest allowed value (inclusive), for numeric and temporal types.
        public var minimum: SchemaValue?
        /// The largest allowed value (inclusive), for numeric and temporal types.
        public var maximum: SchemaValue?
        /// The value must be greater than this (Table Schema v2).
        public var exclusiveMinimum: SchemaValue?
        /// The value must be less than this (Table Schema v2).
        public var exclusiveMaximum: SchemaValue?
        /// The shortest allowed length: characters of a string, items of an array,
        /// members of an object.
        public var minLength: Int?
        /// The longest allowed length, counted like ``minLength``.
        public var maxLength: Int?
        /// A regular expression the whole string must match.
        public var pattern: String?
        /// The allowed values.
        public var `enum`: [SchemaValue]?

        /// Creates constraints.
        public init(
            required: Bool? = nil,
            unique: Bool? = nil,
            minimum: SchemaValue? = nil,
            maximum: SchemaValue? = nil,
            exclusiveMinimum: SchemaValue? = nil,
            exclusiveMaximum: SchemaValue? = nil,
            minLength: Int? = nil,
            maxLength: Int? = nil,
            pattern: String? = nil,
            enum values: [SchemaValue]? = nil
        ) {
            self.required = required
            self.unique = unique
            self.minimum = minimum
            self.maximum = maximum
            self.exclusiveMinimum = exclusiveMinimum
            self.exclusiveMaximum = exclusiveMaximum
            self.minLength = minLength
            self.maxLength = maxLength
            self.pattern = pattern
            self.enum = values
        }

        /// The names of the constraints that are set, in the order frictionless checks
        /// them; the compiler uses it to reject constraints a type does not support.
        public var declaredNames: [String] {
            var names: [String] = []
            if required != nil { names.append("required") }
            if unique != nil { names.append("unique") }
            if minLength != nil { names.append("minLength") }
            if maxLength != nil { names.append("maxLength") }
            if minimum != nil { names.append("minimum") }
            if maximum != nil { names.append("maximum") }
            if exclusiveMinimum != nil { names.append("exclusiveMinimum") }
            if exclusiveMaximum != nil { names.append("exclusiveMaximum") }
            if pattern != nil { names.append("pattern") }
            if `enum` != nil { names.append("enum") }
            return names
        }
    }
}
