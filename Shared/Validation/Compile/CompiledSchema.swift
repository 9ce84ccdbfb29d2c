import Contracts
import Tabular
/// A ``TableSchema`` checked and compiled for validating rows.
///
/// Compilation does all the per-schema work once — casting bounds and `enum` entries,
/// compiling patterns and date formats, resolving keys — so that checking a row is only
/// per-cell work. It is also where a bad schema is rejected with a ``SchemaError``
/// naming the field, instead of every row failing later.
///
/// The value is immutable and `Sendable`: one compiled schema can serve every chunk
/// checked concurrently.
public struct CompiledSchema: Sendable {
    /// The schema as given.
    public let schema: TableSchema
    /// The compiled fields, in schema order.
    let fields: [CompiledField]
    /// The uniqueness constraints, in the order of ``RowOutcome/fingerprints``.
    public let uniqueConstraints: [UniqueConstraint]

    /// Checks and compiles `schema`.
    ///
    /// - Throws: ``SchemaError`` for an unknown type, a format the type does not accept, a
    ///   malformed strptime pattern or regular expression, a constraint the type does not
    ///   support, a bound or `enum` entry that is not a value of the field's type, duplicate
    ///   field names, or a `primaryKey`/`uniqueKeys` entry naming an unknown field.
    public init(schema: TableSchema) throws(SchemaError) {
        self.schema = schema
        var compiled: [CompiledField] = []
        var positions: [String: Int] = [:]
        for field in schema.fields {
            let key = PythonText.exactKey(field.name)
            guard positions[key] == nil else {
                throw SchemaError(code: SchemaError.duplicateField,
                    message: "Two fields are named \"\(field.name)\"; field names must be unique.",
                    field: field.name)
            }
            positions[key] = compiled.count
            compiled.append(try FieldCompiler.compile(field, schemaMissingValues: schema.missingValues))
        }
        fields = compiled

        func resolve(_ names: [String], _ what: String) throws(SchemaError) -> [Int] {
            guard !names.isEmpty else {
                throw SchemaError(code: SchemaError.badKey, message: "The \(what) lists no fields; remove it or name at least one field.")
            }
            var indexes: [Int] = []
            for name in names {
                guard let index = positions[PythonText.exactKey(name)] else {
                    throw SchemaError(code: SchemaError.unknownField,
                        message: "The \(what) names \"\(name)\", which is not a field of the schema; "
                            + "declared fields are \(schema.fields.map { "\"\($0.name)\"" }.joined(separator: ", ")).",
                        field: name)
                }
                guard !indexes.contains(index) else {
                    throw SchemaError(code: SchemaError.badKey,
                        message: "The \(what) lists \"\(name)\" twice.", field: name)
                }
                indexes.append(index)
            }
            return indexes
        }

        var constraints: [UniqueConstraint] = []
        for (index, field) in schema.fields.enumerated() where field.isUnique {
            constraints.append(UniqueConstraint(kind: .unique, fields: [field.name], fieldIndexes: [index]))
        }
        if let primaryKey = schema.primaryKey {
            let indexes = try resolve(primaryKey, "primaryKey")
            constraints.append(UniqueConstraint(kind: .primaryKey, fields: primaryKey, fieldIndexes: indexes))
        }
        for (number, key) in (schema.uniqueKeys ?? []).enumerated() {
            let indexes = try resolve(key, "uniqueKeys entry \(number + 1)")
            constraints.append(UniqueConstraint(kind: .uniqueKey, fields: key, fieldIndexes: indexes))
        }
        uniqueConstraints = constraints
    }

    /// Compiles `schema`, returning the error as a value for callers that report rather
    /// than throw (e.g. when a job is submitted).
    public static func compile(_ schema: TableSchema) -> Result<CompiledSchema, SchemaError> {
        do { return .success(try CompiledSchema(schema: schema)) } catch { return .failure(error) }
    }

    /// Compares a file's header with the schema (see ``HeaderCheck``).
    public func checkHeader(_ header: [String]) -> HeaderCheck {
        HeaderCheck(header: header, schema: schema)
    }

    /// A checker for rows laid out like `header`.
    public func rowChecker(header: [String]) -> RowChecker {
        RowChecker(schema: self, header: checkHeader(header))
    }
}

/// A problem with a Table Schema itself, found by ``CompiledSchema/init(schema:)`` before
/// any data is read.
///
/// `code` is stable and machine-readable; `message` names the field and says what to
/// change, because it is shown to whoever submitted the schema.
public struct SchemaError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The field type is not a Table Schema type.
    public static let unknownType = "schema.unknown-type"
    /// The `format` is not valid for the field's type (or a strptime pattern is malformed).
    public static let badFormat = "schema.bad-format"
    /// A `pattern` constraint is not a valid regular expression.
    public static let badPattern = "schema.bad-pattern"
    /// A constraint value (`minimum`, `enum` entry, length, …) cannot be used.
    public static let badConstraint = "schema.bad-constraint"
    /// The constraint does not apply to the field's type (e.g. `pattern` on an integer).
    public static let unsupportedConstraint = "schema.unsupported-constraint"
    /// `primaryKey` or `uniqueKeys` names a field the schema does not declare.
    public static let unknownField = "schema.unknown-field"
    /// Two fields have the same name.
    public static let duplicateField = "schema.duplicate-field"
    /// A key is empty or lists a field twice.
    public static let badKey = "schema.bad-key"
    /// `decimalChar`, `groupChar`, `trueValues` or `falseValues` cannot work.
    public static let badNumberFormat = "schema.bad-number-format"

    /// A stable code such as `schema.unknown-type`.
    public var code: String
    /// What is wrong and how to fix it, naming the field.
    public var message: String
    /// The field concerned, when there is one.
    public var field: String?

    /// Creates a schema error.
    public init(code: String, message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    /// `code: message`, for logs.
    public var description: String { "\(code): \(message)" }
}
