import Tabular
/// A JSON value written inside a Table Schema: a bound (`minimum`, `maximum`), an `enum`
/// entry, or an example.
///
/// Table Schema lets these be JSON numbers or strings (`"minimum": 5` and
/// `"minimum": "2024-01-01"` are both legal) and lets `enum` hold booleans, so the model
/// keeps the JSON form as written and the compiler casts it to the field's type later.
/// Arrays, objects and `null` are accepted too because `enum` on `array`/`object` fields
/// lists JSON documents; rejecting them here would make such schemas undecodable.
///
/// JSON does not distinguish `10` from `10.0`, so an integral `.number` is encoded as `10`
/// and decodes as `.integer(10)`; both cast to the same value. Integers beyond 64 bits
/// decode as `.number` and lose precision — write such bounds as strings (`"1e30"`,
/// `"99999999999999999999"`), which are read exactly.
public enum SchemaValue: Sendable, Hashable {
    /// A JSON string.
    case string(String)
    /// A JSON number without a fraction or exponent that fits in 64 bits.
    case integer(Int64)
    /// Any other JSON number.
    case number(Double)
    /// A JSON boolean.
    case bool(Bool)
    /// A JSON array (only meaningful in `enum` of `array` fields).
    case array([SchemaValue])
    /// A JSON object (only meaningful in `enum` of `object` fields).
    case object([String: SchemaValue])
    /// JSON `null`.
    case null

    /// The value as JSON text, so it can be cast with the same parser as a cell.
    ///
    /// Object keys are sorted so the text is deterministic; numbers use Swift's shortest
    /// round-trip form, which Python's `repr` agrees with on value.
    public var jsonText: String {
        switch self {
        case .string(let text): return JSONString.quoted(text)
        case .integer(let value): return String(value)
        case .number(let value): return value.description
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let members):
            let body = members.keys.sorted().map { key in
                JSONString.quoted(key) + ":" + members[key]!.jsonText
            }
            return "{" + body.joined(separator: ",") + "}"
        }
    }

    /// The text a cell would hold for this value: strings as they are, everything else as
    /// JSON. This mirrors frictionless passing `str` values to the type reader directly.
    public var cellText: String {
        if case .string(let text) = self { return text }
        return jsonText
    }
}

extension SchemaValue: Codable {
    /// Decodes the narrowest reading: booleans, then 64-bit integers, then doubles,
    /// strings, arrays, objects and `null`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([SchemaValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: SchemaValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Not a JSON value a Table Schema can hold.")
        }
    }

    /// Encodes the value as the matching JSON value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let items): try container.encode(items)
        case .object(let members): try container.encode(members)
        case .null: try container.encodeNil()
        }
    }
}

extension SchemaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral
{
    /// A `.string` literal, so schemas in code read like their JSON.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An `.integer` literal.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A `.number` literal.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// A `.bool` literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
