import Contracts
import Tabular
import Yams

/// Converts a YAML document to equivalent JSON text, so YAML plans go through exactly the
/// same `Codable` decoding as JSON ones.
///
/// Yams' own decoder resolves scalars with YAML 1.1 rules (`yes`, `no`, `on`, `off` become
/// booleans even when quoted, and `''` becomes null), which would make a YAML plan mean
/// something other than the same plan in JSON. Here the parsed node tree is walked and
/// plain scalars are resolved with the YAML 1.2 core schema instead: `null`, `~` and an
/// empty value are null; `true`/`false` (any of the three spellings) are booleans; numbers
/// follow `CellValue.coerce` (leading zeros stay text); everything else, and every quoted
/// or block scalar, is text.
enum YAMLBridge {
    /// The JSON text of the single document in `yaml`.
    static func json(fromYAML yaml: String) throws -> String {
        guard let node = try Yams.compose(yaml: yaml) else { return "null" }
        var output = ""
        try write(node, into: &output)
        return output
    }

    private static func write(_ node: Node, into output: inout String) throws {
        switch node {
        case .scalar(let scalar):
            output += scalarJSON(scalar)
        case .sequence(let sequence):
            output += "["
            for (index, element) in sequence.enumerated() {
                if index > 0 { output += "," }
                try write(element, into: &output)
            }
            output += "]"
        case .mapping(let mapping):
            output += "{"
            for (index, pair) in mapping.enumerated() {
                if index > 0 { output += "," }
                guard case .scalar(let key) = pair.key else {
                    throw YamlError.representer(problem: "mapping keys must be plain text")
                }
                output += quote(key.string) + ":"
                try write(pair.value, into: &output)
            }
            output += "}"
        }
    }

    private static func scalarJSON(_ scalar: Node.Scalar) -> String {
        let text = scalar.string
        let explicitString = scalar.tag.description == "tag:yaml.org,2002:str"
        guard scalar.style == .plain, !explicitString else { return quote(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return "null"
        case "true", "True", "TRUE": return "true"
        case "false", "False", "FALSE": return "false"
        default: break
        }
        switch CellValue.coerce(text) {
        case .integer(let value) where CellValue.trimmingWhitespace(text) == text: return String(value)
        case .number(let value) where CellValue.trimmingWhitespace(text) == text: return value.description
        default: return quote(text)
        }
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
