import Contracts
import Tabular
/// Job-wide detection of duplicate keys, fed with every row's fingerprints in source
/// order.
///
/// Uniqueness cannot be decided per chunk, so ``RowChecker`` only computes fingerprints
/// and this tracker, run by a single stage over all chunks in order, remembers them. It
/// stores 16 bytes per distinct key plus the line where it was last seen — nothing of the
/// row itself — so a million-row job costs tens of megabytes at most.
///
/// Semantics follow frictionless (`resources/table.py`): the first occurrence of a key is
/// fine and every later occurrence is reported, with `unique-error` for `unique` fields
/// and `uniqueKeys` and `primary-key` for the primary key. Rows without a fingerprint
/// (null values, which frictionless skips for `unique`) are ignored. The remembered line
/// is updated to the latest occurrence, as frictionless does, so messages point at the
/// previous duplicate.
public struct UniqueTracker: Sendable {
    /// The constraints, in fingerprint order.
    public let constraints: [UniqueConstraint]
    private var seen: [[UInt128: Int]]

    /// A tracker for `constraints` (usually ``CompiledSchema/uniqueConstraints``).
    public init(constraints: [UniqueConstraint]) {
        self.constraints = constraints
        seen = Array(repeating: [:], count: constraints.count)
    }

    /// A tracker for a compiled schema's constraints.
    public init(schema: CompiledSchema) {
        self.init(constraints: schema.uniqueConstraints)
    }

    /// Reserves room for `rows` keys per constraint, avoiding rehashing when the stage
    /// knows the job's size (rehashing millions of keys is a visible share of the cost).
    public mutating func reserveCapacity(_ rows: Int) {
        for index in seen.indices { seen[index].reserveCapacity(rows) }
    }

    /// The number of distinct keys remembered so far, over all constraints.
    public var distinctKeys: Int { seen.reduce(0) { $0 + $1.count } }

    /// Records a row's fingerprints and returns the duplicate-key errors it causes.
    ///
    /// - Parameters:
    ///   - line: the row's source line, used in errors and remembered for later messages.
    ///   - fingerprints: ``RowOutcome/fingerprints`` of the row; must have one entry per
    ///     constraint (a shorter array is treated as `nil`s).
    public mutating func observe(line: Int, fingerprints: [String?]) -> [RecordError] {
        var errors: [RecordError] = []
        for (index, constraint) in constraints.enumerated() {
            guard index < fingerprints.count, let fingerprint = fingerprints[index] else { continue }
            let key = KeyFingerprint.value(of: fingerprint) ?? KeyFingerprint.hash([fingerprint])
            if let previous = seen[index].updateValue(line, forKey: key) {
                errors.append(RecordError(line: line, field: constraint.reportedField,
                    code: constraint.errorCode,
                    message: "The \(constraint.label) has the same value as on line \(previous); "
                        + "values must be unique."))
            }
        }
        return errors
    }
}

/// One uniqueness rule of a schema: a field with `unique: true`, the `primaryKey`, or an
/// entry of `uniqueKeys`.
///
/// ``RowChecker`` computes one fingerprint per constraint for every row, in the order of
/// ``CompiledSchema/uniqueConstraints``, and ``UniqueTracker`` compares fingerprints
/// constraint by constraint. The type is `Codable` so the stage running the tracker can be
/// told the layout without recompiling the schema.
public struct UniqueConstraint: Codable, Sendable, Hashable {
    /// Which rule this is; it decides the error code and how nulls are treated.
    public enum Kind: String, Codable, Sendable, Hashable {
        /// `constraints.unique` on one field: `unique-error`; null values are not compared.
        case unique
        /// The `primaryKey`: `primary-key`; keys whose parts are all null are errors in
        /// themselves, partly-null keys are compared like any other (as frictionless does).
        case primaryKey
        /// A `uniqueKeys` entry: `unique-error`; a key with any null part is not compared,
        /// like SQL `UNIQUE` and like single-field `unique`.
        case uniqueKey
    }

    /// The rule.
    public var kind: Kind
    /// The field names making up the key, in key order.
    public var fields: [String]
    /// Their positions in the schema's `fields`.
    public var fieldIndexes: [Int]

    /// Creates a constraint description.
    public init(kind: Kind, fields: [String], fieldIndexes: [Int]) {
        self.kind = kind
        self.fields = fields
        self.fieldIndexes = fieldIndexes
    }

    /// The Frictionless error code reported for a duplicate.
    public var errorCode: String { kind == .primaryKey ? "primary-key" : "unique-error" }

    /// The field reported on a duplicate: the field itself for `unique`, none for keys
    /// (frictionless reports primary-key errors on the row, not a cell).
    public var reportedField: String? { kind == .unique ? fields.first : nil }

    /// The contract form carried in chunk messages (`kind` is `primary-key` or `unique`).
    public var uniqueKey: UniqueKey {
        UniqueKey(fields: fields, kind: kind == .primaryKey ? "primary-key" : kind == .unique ? "unique" : "unique-key")
    }

    /// The constraint a `UniqueKey` from a chunk message describes (publish enforces keys
    /// across the job from the fingerprints validate computed; it needs no field indexes).
    public init(_ key: UniqueKey) {
        let kind: Kind = key.kind == "primary-key" ? .primaryKey : key.kind == "unique" ? .unique : .uniqueKey
        self.init(kind: kind, fields: key.fields, fieldIndexes: [])
    }

    /// "field \"id\"" or "primary key (a, b)" for messages.
    public var label: String {
        switch kind {
        case .unique: return "field \"\(fields.first ?? "")\""
        case .primaryKey: return "primary key (\(fields.joined(separator: ", ")))"
        case .uniqueKey: return "unique key (\(fields.joined(separator: ", ")))"
        }
    }
}
