import Tabular
import Foundation

/// A declarative description of how to transform a job's records, written by a person in
/// JSON or YAML and applied to every chunk independently and deterministically.
///
///     {
///       "name": "gradebook cleanup",
///       "version": 1,
///       "description": "Normalise the term export",
///       "steps": [
///         {"op": "rename", "columns": {"Student ID": "student_id", "Score": "score"}},
///         {"op": "trim"},
///         {"op": "cast", "column": "score", "to": "number", "onError": "null"},
///         {"op": "derive", "column": "pass", "expression": "score >= 50"},
///         {"op": "filter", "delete": "status = 'withdrawn' or is_null(score)"},
///         {"op": "dedupe", "columns": ["student_id"]},
///         {"op": "note", "text": "Ask the registrar about late submissions"}
///       ]
///     }
///
/// `version` is the plan's revision number (a positive integer, 1 when omitted), so a
/// stored plan can be referred to as `NAME@VERSION`; the engine does not interpret it.
/// See `PlanStep` for every op and its fields. Turn a plan into something that runs with
/// `compile(plan:columns:)`.
public struct ProcessingPlan: Sendable, Hashable, Codable {
    /// A short name for people and logs.
    public var name: String
    /// The plan's revision number, 1 or more.
    public var version: Int
    /// What the plan is for, if given.
    public var description: String?
    /// The steps, applied in order.
    public var steps: [PlanStep]

    /// Creates a plan.
    public init(name: String, version: Int = 1, description: String? = nil, steps: [PlanStep]) {
        self.name = name
        self.version = version
        self.description = description
        self.steps = steps
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case name, version, description, steps
    }

    /// Decodes a plan, rejecting unknown top-level fields and versions below 1.
    public init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: PlanCodingKey.self)
        try PlanCodingKey.rejectUnknown(in: fields, allowed: CodingKeys.allCases.map(\.rawValue), context: "plan")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        guard version >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .version, in: container, debugDescription:
                "plan version must be 1 or more, not \(version)")
        }
        description = try container.decodeIfPresent(String.self, forKey: .description)
        steps = try container.decode([PlanStep].self, forKey: .steps)
    }

    /// Encodes every field, `version` included.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(version, forKey: .version)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(steps, forKey: .steps)
    }

    /// The plan as pretty-printed JSON with sorted keys, for storage and diffs.
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding can only fail for non-finite numbers, which no decoded plan contains.
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
