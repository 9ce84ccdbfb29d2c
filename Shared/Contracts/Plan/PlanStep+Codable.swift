import Tabular
/// JSON/YAML form of steps: an object with `"op"` and that op's fields.
///
/// Decoding is strict, because a plan that silently ignores a misspelt field does the wrong
/// thing to a million rows: an unknown op or an unknown field is a decoding error naming
/// the step number (1-based), the op and the offending name, with a suggestion when one is
/// close.
extension PlanStep: Codable {
    /// The fields each op accepts besides `"op"`.
    static let fields: [String: [String]] = [
        "rename": ["columns"], "select": ["columns"], "drop": ["columns"], "reorder": ["columns"],
        "trim": ["columns"], "case": ["columns", "to"],
        "cast": ["column", "to", "format", "trueValues", "falseValues", "onError"],
        "fill": ["column", "value"], "replace": ["column", "map", "pattern", "with"],
        "derive": ["column", "expression", "onError"], "filter": ["keep", "delete"],
        "append": ["records"], "dedupe": ["columns"], "note": ["text"],
        "lookup": ["table", "on", "columns", "missing"],
        "call": ["method", "url", "headers", "body", "map", "concurrency", "timeoutSeconds", "retry",
                 "idempotencyKey", "idempotencyHeader", "onError"],
    ]

    /// Decodes one step object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: PlanCodingKey.self)
        let place = PlanCodingKey.stepNumber(in: decoder.codingPath).map { "step \($0)" } ?? "step"
        let known = PlanStep.operations.joined(separator: ", ")
        guard let op = try container.decodeIfPresent(String.self, forKey: PlanCodingKey("op")) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                "\(place) has no \"op\"; ops are: \(known)"))
        }
        guard let fields = PlanStep.fields[op] else {
            let hint = Suggestions.closest(to: op, among: PlanStep.operations).map { " (did you mean '\($0)'?)" } ?? ""
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [PlanCodingKey("op")],
                debugDescription: "\(place): unknown op '\(op)'\(hint); ops are: \(known)"))
        }
        let stepPlace = "\(place) (\(op))"
        try PlanCodingKey.rejectUnknown(in: container, allowed: ["op"] + fields, context: stepPlace)
        let reader = FieldReader(container: container)
        switch op {
        case "rename": self = .rename(columns: try reader.required("columns"))
        case "select": self = .select(columns: try reader.required("columns"))
        case "drop": self = .drop(columns: try reader.required("columns"))
        case "reorder": self = .reorder(columns: try reader.required("columns"))
        case "trim": self = .trim(columns: try reader.optional("columns"))
        case "case":
            self = .changeCase(columns: try reader.required("columns"), to: try reader.choice("to", place: stepPlace))
        case "cast":
            self = .cast(CastStep(column: try reader.required("column"), to: try reader.choice("to", place: stepPlace),
                                  format: try reader.optional("format"),
                                  trueValues: try reader.optional("trueValues"),
                                  falseValues: try reader.optional("falseValues"),
                                  onError: try reader.optionalChoice("onError", place: stepPlace) ?? .drop))
        case "fill":
            guard container.contains(PlanCodingKey("value")) else {
                throw DecodingError.keyNotFound(PlanCodingKey("value"), .init(codingPath: container.codingPath,
                    debugDescription: "\(place) (fill) needs a \"value\" to put in place of nulls"))
            }
            self = .fill(column: try reader.required("column"), value: try reader.required("value"))
        case "replace":
            self = .replace(ReplaceStep(column: try reader.required("column"), map: try reader.optional("map"),
                                        pattern: try reader.optional("pattern"), with: try reader.optional("with")))
        case "derive":
            self = .derive(DeriveStep(column: try reader.required("column"),
                                      expression: try reader.required("expression"),
                                      onError: try reader.optionalChoice("onError", place: stepPlace) ?? .drop))
        case "filter":
            self = .filter(try PlanStep.decodeFilter(reader, place: place))
        case "append": self = .append(records: try reader.required("records"))
        case "dedupe": self = .dedupe(columns: try reader.required("columns"))
        case "lookup": self = .lookup(try PlanStep.decodeLookup(reader, place: stepPlace))
        case "call":
            self = .call(CallStep(method: try reader.optional("method") ?? "GET", url: try reader.required("url"),
                                  headers: try reader.optional("headers"), body: try reader.optional("body"),
                                  map: try reader.optional("map"), concurrency: try reader.optional("concurrency"),
                                  timeoutSeconds: try reader.optional("timeoutSeconds"),
                                  retry: try reader.optional("retry"),
                                  idempotencyKey: try reader.optional("idempotencyKey"),
                                  idempotencyHeader: try reader.optional("idempotencyHeader"),
                                  onError: try reader.optionalChoice("onError", place: stepPlace) ?? .drop))
        default: self = .note(text: try reader.required("text"))
        }
    }

    private static func decodeFilter(_ reader: FieldReader, place: String) throws -> FilterStep {
        let keep: FilterCondition? = try reader.optional("keep")
        let delete: FilterCondition? = try reader.optional("delete")
        switch (keep, delete) {
        case (let condition?, nil): return FilterStep(.keep, condition)
        case (nil, let condition?): return FilterStep(.delete, condition)
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: reader.container.codingPath, debugDescription:
                "\(place) (filter) needs exactly one of \"keep\" and \"delete\""))
        }
    }

    private static func decodeLookup(_ reader: FieldReader, place: String) throws -> LookupStep {
        let key = PlanCodingKey("on")
        let pairs: [(row: String, table: String)]
        if let list = try? reader.container.decode([String].self, forKey: key) {
            pairs = list.map { ($0, $0) }
        } else if let map = try? reader.container.decode([String: String].self, forKey: key) {
            pairs = map.keys.sorted().map { ($0, map[$0]!) }
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: reader.container.codingPath + [key], debugDescription:
                "\(place) needs \"on\": the key columns, as a list [\"course\"] or as row column → table column "
                    + "{\"course\": \"course_code\"}"))
        }
        guard !pairs.isEmpty else {
            throw DecodingError.dataCorrupted(.init(codingPath: reader.container.codingPath + [key], debugDescription:
                "\(place): \"on\" is empty; name at least one key column"))
        }
        return LookupStep(table: try reader.required("table"), on: pairs, columns: try reader.optional("columns"),
                          missing: try reader.optionalChoice("missing", place: place) ?? .null)
    }

    /// Encodes `"op"` followed by the op's fields; absent optionals are omitted.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: PlanCodingKey.self)
        func put<T: Encodable>(_ value: T?, _ key: String) throws {
            try container.encodeIfPresent(value, forKey: PlanCodingKey(key))
        }
        try put(op, "op")
        switch self {
        case .rename(let columns): try put(columns, "columns")
        case .select(let columns), .drop(let columns), .reorder(let columns), .dedupe(let columns):
            try put(columns, "columns")
        case .trim(let columns): try put(columns, "columns")
        case .changeCase(let columns, let to):
            try put(columns, "columns")
            try put(to, "to")
        case .cast(let step):
            try put(step.column, "column")
            try put(step.to, "to")
            try put(step.format, "format")
            try put(step.trueValues, "trueValues")
            try put(step.falseValues, "falseValues")
            try put(step.onError, "onError")
        case .fill(let column, let value):
            try put(column, "column")
            try container.encode(value, forKey: PlanCodingKey("value"))
        case .replace(let step):
            try put(step.column, "column")
            try put(step.map, "map")
            try put(step.pattern, "pattern")
            try put(step.with, "with")
        case .derive(let step):
            try put(step.column, "column")
            try put(step.expression, "expression")
            try put(step.onError, "onError")
        case .filter(let step): try put(step.condition, step.mode.rawValue)
        case .append(let records): try put(records, "records")
        case .note(let text): try put(text, "text")
        case .lookup(let step):
            try put(step.table, "table")
            if step.on.allSatisfy({ $0.key == $0.value }) {
                try put(step.keyOrder, "on")
            } else {
                try put(step.on, "on")
            }
            try put(step.columns, "columns")
            try put(step.missing, "missing")
        case .call(let step):
            try put(step.method, "method")
            try put(step.url, "url")
            try put(step.headers, "headers")
            try put(step.body, "body")
            try put(step.map, "map")
            try put(step.concurrency, "concurrency")
            try put(step.timeoutSeconds, "timeoutSeconds")
            try put(step.retry, "retry")
            try put(step.idempotencyKey, "idempotencyKey")
            try put(step.idempotencyHeader, "idempotencyHeader")
            try put(step.onError, "onError")
        }
    }
}

/// Reads named fields of a step object.
private struct FieldReader {
    let container: KeyedDecodingContainer<PlanCodingKey>

    func required<T: Decodable>(_ name: String) throws -> T {
        try container.decode(T.self, forKey: PlanCodingKey(name))
    }

    func optional<T: Decodable>(_ name: String) throws -> T? {
        try container.decodeIfPresent(T.self, forKey: PlanCodingKey(name))
    }

    /// A required enumerated field, with a message listing the accepted values.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, place: String) throws -> T
    where T.RawValue == String {
        guard let value: T = try optionalChoice(name, place: place) else {
            throw DecodingError.keyNotFound(PlanCodingKey(name), .init(codingPath: container.codingPath,
                debugDescription: "\(place) needs \"\(name)\": one of "
                    + T.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        return value
    }

    /// An optional enumerated field, with a message listing the accepted values.
    func optionalChoice<T: RawRepresentable & CaseIterable>(_ name: String, place: String) throws -> T?
    where T.RawValue == String {
        guard let text: String = try optional(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw DecodingError.dataCorruptedError(forKey: PlanCodingKey(name), in: container, debugDescription:
                "\(place): \"\(name)\" must be one of " + T.allCases.map(\.rawValue).joined(separator: ", ")
                    + ", not '\(text)'")
        }
        return value
    }
}
