import Contracts
import Foundation
import Tabular

/// A text with `{{column}}` (and, in headers, `{{secret:NAME}}`) placeholders, resolved
/// against the columns at its step when compiled, so rendering never looks a name up.
public struct CallTemplate: Sendable, Hashable {
    /// One piece of the text.
    enum Part: Sendable, Hashable {
        case text(String)
        case column(slot: Int, name: String)
        case secret(String)
    }

    let parts: [Part]

    /// The secrets the template names.
    public var secrets: [String] {
        parts.compactMap { if case .secret(let name) = $0 { name } else { nil } }
    }

    /// The columns the template names, as (slot, name).
    var columns: [(slot: Int, name: String)] {
        parts.compactMap { if case .column(let slot, let name) = $0 { (slot, name) } else { nil } }
    }

    /// When the template is exactly one column placeholder: its slot (a body value then
    /// keeps the cell's type).
    var soleColumn: Int? {
        if parts.count == 1, case .column(let slot, _) = parts[0] { return slot }
        return nil
    }

    /// Parses `text`, resolving column names in `columns`; `allowSecrets` only for headers.
    init(_ text: String, columns: [String], allowSecrets: Bool, field: String) throws(PlanError) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw PlanError(code: .invalidStep, detail: "\(field): '{{' without a closing '}}' in \"\(text)\"")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("secret:") {
                let secret = String(name.dropFirst("secret:".count))
                guard allowSecrets else {
                    throw PlanError(code: .invalidStep, detail:
                        "\(field): secrets ({{secret:\(secret)}}) may be used only in headers, so they never reach a URL, body or result")
                }
                guard !secret.isEmpty else { throw PlanError(code: .invalidStep, detail: "\(field): {{secret:}} needs a name") }
                parts.append(.secret(secret))
            } else {
                guard let slot = columns.firstIndex(of: name) else {
                    throw PlanError(code: .unknownColumn, detail: "\(field): unknown column '\(name)' in \"\(text)\"; "
                        + "columns at this step are: \(columns.joined(separator: ", "))")
                }
                parts.append(.column(slot: slot, name: name))
            }
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        self.parts = parts
    }

    /// The text for `values`, each cell's text passed through `encode`; secrets from `secrets`.
    func render(_ values: [CellValue], secrets: [String: String], encode: (String) -> String = { $0 }) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let text): out += text
            case .column(let slot, _): out += encode(slot < values.count ? values[slot].csvText : "")
            case .secret(let name): out += secrets[name] ?? ""
            }
        }
        return out
    }

    /// Percent-encodes a value for a URL path segment or query value (RFC 3986 unreserved kept).
    static func urlEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
