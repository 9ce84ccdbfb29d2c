import Contracts
import Tabular
/// A JSON document parsed with the rules of Python's `json.loads` (the C scanner with
/// `strict=True`), which frictionless uses for `object`, `array` and geopoint cells.
///
/// Python differs from strict RFC 8259 in ways the oracle exposes: `NaN`, `Infinity` and
/// `-Infinity` are accepted, duplicate object keys are allowed (the last one wins, so
/// `{"a":1,"a":2}` has one member), lone `\uD800` escapes are kept, raw control
/// characters in strings are rejected, only space, tab, CR and LF count as whitespace, a
/// leading BOM is an error, and an integer literal longer than 4300 digits fails in
/// `int()`. Nesting is capped below Python's recursion limit.
indirect enum JSONText: Sendable {
    case null
    case bool(Bool)
    /// An integer literal: exact.
    case integer(DecimalNumber)
    /// A literal with a fraction or exponent: a Python float (may be infinite or NaN).
    case float(Double)
    /// A string as UTF-16 code units, so lone surrogates survive.
    case string([UInt16])
    case array([JSONText])
    /// Members in first-insertion order with last-wins values, as a Python `dict`.
    case object([(key: [UInt16], value: JSONText)])

    /// Parses a whole document, or returns `nil` where `json.loads` raises.
    static func parse(_ text: String) -> JSONText? {
        var text = text
        return text.withUTF8 { bytes in
            var parser = JSONTextParser(bytes)
            return parser.document()
        }
    }

    /// Python's `len()`: items of a list, members of a dict, code points of a string.
    var count: Int? {
        switch self {
        case .array(let items): return items.count
        case .object(let members): return members.count
        case .string(let units): return String(decoding: units, as: UTF16.self).unicodeScalars.count
        default: return nil
        }
    }

    /// Canonical text equal for documents Python's `==` finds equal (`1 == 1.0 == true`,
    /// dicts ignore order), or `nil` when a NaN makes the value unequal to everything.
    var equalityKey: String? {
        switch self {
        case .null: return "n"
        case .bool(let value): return value ? "#1e0" : "#0"
        case .integer(let value): return value.key.map { "#" + $0 }
        case .float(let value): return DecimalNumber(exactly: value).key.map { "#" + $0 }
        case .string(let units): return Self.quotedKey(units)
        case .array(let items):
            var parts: [String] = []
            for item in items {
                guard let key = item.equalityKey else { return nil }
                parts.append(key)
            }
            return "[" + parts.joined(separator: ",") + "]"
        case .object(let members):
            var parts: [String] = []
            for member in members {
                guard let key = member.value.equalityKey else { return nil }
                parts.append(Self.quotedKey(member.key) + ":" + key)
            }
            return "{" + parts.sorted().joined(separator: ",") + "}"
        }
    }

    /// The value as Python's `Decimal(x)` would take it (for geopoints): numbers exactly,
    /// booleans as 1/0, strings through the `Decimal` grammar; `nil` where Python raises.
    var decimalValue: DecimalNumber? {
        switch self {
        case .integer(let value): return value
        case .float(let value): return DecimalNumber(exactly: value)
        case .bool(let value): return DecimalNumber(value ? 1 : 0)
        case .string(let units):
            guard let ascii = PythonText.asciiForDecimal(String(decoding: units, as: UTF16.self))
            else { return nil }
            return ascii.withUnsafeBufferPointer { PythonNumberSyntax.parseDecimal($0) }
        default: return nil
        }
    }

    /// Python's `a, b = value` for two-element unpacking: list items, dict keys or the
    /// characters of a string; `nil` otherwise.
    var pair: (JSONText, JSONText)? {
        switch self {
        case .array(let items) where items.count == 2: return (items[0], items[1])
        case .object(let members) where members.count == 2:
            return (.string(members[0].key), .string(members[1].key))
        case .string(let units):
            let scalars = Array(String(decoding: units, as: UTF16.self).unicodeScalars)
            guard scalars.count == 2 else { return nil }
            return (.string(Array(String(scalars[0]).utf16)), .string(Array(String(scalars[1]).utf16)))
        default: return nil
        }
    }

    /// The member called `name` of an object.
    func member(_ name: String) -> JSONText? {
        guard case .object(let members) = self else { return nil }
        let units = Array(name.utf16)
        return members.first { $0.key == units }?.value
    }

    private static func quotedKey(_ units: [UInt16]) -> String {
        var text = "\""
        for unit in units {
            switch unit {
            case 0x22: text += "\\\""
            case 0x5C: text += "\\\\"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: text += "\\u" + String(unit, radix: 16) + ";"
            }
        }
        // Everything outside printable ASCII is spelled as a UTF-16 escape, so the key is
        // ASCII and Swift's canonical-equivalence `==` cannot merge different strings.
        return text + "\""
    }
}
