/// JSON representation of cells as plain JSON values.
///
/// Rows are stored and sent as ordinary JSON (`null`, `"text"`, `12`, `3.5`, `true`)
/// rather than tagged objects, so any consumer — SQL `jsonb`, a browser, `jq` — reads
/// them without knowing Sluice's types.
///
/// JSON has a single number type. Decoding therefore tries the narrowest reading
/// first: a number that is integral and fits in `Int64` becomes `.integer`, any other
/// number `.number`. As a consequence an integral double such as `.number(90.0)` is
/// encoded as `90` and decodes as `.integer(90)`; all other values round-trip exactly.
/// Non-finite doubles have no JSON form and make encoding fail, as with any `Double`.
extension CellValue: Codable {
    /// Decodes a cell from a JSON scalar; arrays and objects are rejected.
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
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "A cell must be null, a string, a number or a boolean, "
                    + "not an array or object."
            )
        }
    }

    /// Encodes the cell as the matching JSON scalar.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .string(let text): try container.encode(text)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }
}

/// Turning raw CSV text into typed cells in the transform stage.
extension CellValue {
    /// Reads a CSV cell's text as the value it most plausibly denotes.
    ///
    /// The rules are conservative, because a wrong guess corrupts data silently while
    /// a string is always safe:
    /// - Surrounding whitespace is trimmed; an empty result is `.null`.
    /// - `[+-]?[0-9]+` becomes `.integer` if it fits in `Int64`. A leading zero
    ///   (`007`, `0123`, `-007`) marks an identifier such as a ZIP or account code, so it
    ///   stays `.string`; so does an integer too large for `Int64` (usually an ID), since
    ///   a `Double` would round it.
    /// - A decimal or exponent form (`-3.50`, `.5`, `5.`, `1e3`) becomes `.number`,
    ///   unless it has an identifier-style leading zero (`00.5`) or overflows to
    ///   infinity (`1e999`), which stay `.string`.
    /// - Everything else — including `inf`, `nan`, hex and `true`/`false` — is the
    ///   trimmed `.string`. Booleans are deliberately not inferred: `yes`/`no`, `Y`/`N`
    ///   and `1`/`0` are too ambiguous to guess across sources.
    public static func coerce(_ text: String) -> CellValue {
        let trimmed = trimmingWhitespace(text)
        guard !trimmed.isEmpty else { return .null }

        switch NumericText.shape(of: trimmed.utf8) {
        case .integer(hasLeadingZero: false):
            if let value = Int64(trimmed) { return .integer(value) }
        case .decimal(hasLeadingZero: false):
            if let value = Double(trimmed), value.isFinite { return .number(value) }
        case .integer(hasLeadingZero: true), .decimal(hasLeadingZero: true), .other:
            break
        }
        return .string(trimmed)
    }

    /// `text` without leading and trailing whitespace or line breaks.
    ///
    /// Written against `Character.isWhitespace` so no Foundation is needed and
    /// non-breaking spaces pasted from web pages are trimmed too.
    public static func trimmingWhitespace(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = text.lastIndex(where: { !$0.isWhitespace }) ?? first
        if first == text.startIndex, text.index(after: last) == text.endIndex { return text }
        return String(text[first...last])
    }
}
