import Tabular

/// Parameters of a `call` step: one HTTP request per record, built from the record's
/// columns, whose JSON answer is mapped into columns (docs/plans.md#call).
///
///     {"op": "call", "method": "POST", "url": "https://api.example.com/items/{{upc}}",
///      "headers": {"Authorization": "Bearer {{secret:catalog}}"},
///      "body": {"upc": "{{upc}}", "qty": "{{quantity}}"},
///      "map": {"title": "/product/title", "price": "/product/price"},
///      "concurrency": 8, "timeoutSeconds": 10}
///
/// Templates name columns as `{{column}}`; headers may also name secrets from the transform
/// service's configuration (`{{secret:NAME}}`, `call.secrets.NAME`), which never come from
/// the job and are allowed nowhere else. A body string that is exactly one `{{column}}`
/// takes the cell's type (a number stays a number); inside longer text it is interpolated.
public struct CallStep: Sendable, Hashable {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`; default `GET`.
    public var method: String
    /// The URL template; `{{column}}` values are percent-encoded.
    public var url: String
    /// Header templates.
    public var headers: [String: String]?
    /// The JSON body template (not for `GET`).
    public var body: JSONTemplate?
    /// New or overwritten columns from the JSON answer: column → JSON Pointer (RFC 6901).
    public var map: [String: String]?
    /// Calls in flight at once for one chunk (default 8; capped by `call.concurrency.max`).
    public var concurrency: Int?
    /// Time allowed for one attempt of one item, in seconds (default 10).
    public var timeoutSeconds: Double?
    /// The retry policy (default: 1 s initial, ×3, 60 s cap, 5 retries, with jitter).
    public var retry: CallRetry?
    /// The idempotency key template (default: the job id, step and source line), sent in
    /// ``idempotencyHeader`` with every attempt of the item.
    public var idempotencyKey: String?
    /// The header that carries the idempotency key; default `Idempotency-Key`.
    public var idempotencyHeader: String?
    /// An item that fails for good: `drop` (default) removes its row, `null` and `keep`
    /// keep it with the mapped columns null. Reported either way.
    public var onError: ErrorPolicy

    /// Creates call parameters.
    public init(method: String = "GET", url: String, headers: [String: String]? = nil, body: JSONTemplate? = nil,
                map: [String: String]? = nil, concurrency: Int? = nil, timeoutSeconds: Double? = nil,
                retry: CallRetry? = nil, idempotencyKey: String? = nil, idempotencyHeader: String? = nil,
                onError: ErrorPolicy = .drop) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.map = map
        self.concurrency = concurrency
        self.timeoutSeconds = timeoutSeconds
        self.retry = retry
        self.idempotencyKey = idempotencyKey
        self.idempotencyHeader = idempotencyHeader
        self.onError = onError
    }
}

/// Retries of one item: exponential backoff with full jitter, `Retry-After` honoured.
public struct CallRetry: Sendable, Hashable, Codable {
    private enum CodingKeys: String, CodingKey, CaseIterable { case retries, initialSeconds, factor, capSeconds }
    /// Retries after the first attempt (default 5).
    public var retries: Int?
    /// The first delay in seconds (default 1).
    public var initialSeconds: Double?
    /// The growth factor (default 3).
    public var factor: Double?
    /// The longest delay in seconds (default 60).
    public var capSeconds: Double?

    /// Creates a policy; nil fields take the defaults.
    public init(retries: Int? = nil, initialSeconds: Double? = nil, factor: Double? = nil, capSeconds: Double? = nil) {
        self.retries = retries
        self.initialSeconds = initialSeconds
        self.factor = factor
        self.capSeconds = capSeconds
    }

    /// Decodes strictly: a misspelt field is an error, not a default silently used.
    public init(from decoder: any Decoder) throws {
        try PlanCodingKey.rejectUnknown(in: try decoder.container(keyedBy: PlanCodingKey.self),
                                        allowed: CodingKeys.allCases.map(\.rawValue), context: "call retry")
        let container = try decoder.container(keyedBy: CodingKeys.self)
        retries = try container.decodeIfPresent(Int.self, forKey: .retries)
        initialSeconds = try container.decodeIfPresent(Double.self, forKey: .initialSeconds)
        factor = try container.decodeIfPresent(Double.self, forKey: .factor)
        capSeconds = try container.decodeIfPresent(Double.self, forKey: .capSeconds)
    }
}

/// A JSON value whose strings may hold `{{column}}` templates (a call step's body).
public indirect enum JSONTemplate: Sendable, Hashable, Codable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number.
    case number(Double)
    /// A string, possibly a template.
    case string(String)
    /// An array.
    case array([JSONTemplate])
    /// An object; keys keep their order of appearance when encoded.
    case object([String: JSONTemplate])

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null; return }
        if let value = try? single.decode(Bool.self) { self = .bool(value); return }
        if let value = try? single.decode(Double.self) { self = .number(value); return }
        if let value = try? single.decode(String.self) { self = .string(value); return }
        if let value = try? single.decode([JSONTemplate].self) { self = .array(value); return }
        self = .object(try single.decode([String: JSONTemplate].self))
    }

    /// Encodes the value as JSON.
    public func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        switch self {
        case .null: try single.encodeNil()
        case .bool(let value): try single.encode(value)
        case .number(let value): try single.encode(value)
        case .string(let value): try single.encode(value)
        case .array(let value): try single.encode(value)
        case .object(let value): try single.encode(value)
        }
    }

    /// Every string in the value, depth first (for checking templates).
    public var strings: [String] {
        switch self {
        case .string(let text): [text]
        case .array(let items): items.flatMap(\.strings)
        case .object(let fields): fields.keys.sorted().flatMap { fields[$0]!.strings }
        default: []
        }
    }
}
