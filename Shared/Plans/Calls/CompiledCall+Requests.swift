import Contracts
import Foundation
import Tabular

/// One item's request, ready to send.
public struct CallRequest: Sendable, Hashable, Codable {
    /// The HTTP method.
    public var method: String
    /// The URL, values percent-encoded.
    public var url: String
    /// Headers, the idempotency key's included; secrets filled in (or, in a preview, named).
    public var headers: [String: String]
    /// The JSON body, if any.
    public var body: String?
    /// The item's idempotency key.
    public var key: String
}

extension CompiledCall {
    /// The request for `record`; `secrets` fill `{{secret:NAME}}` (pass nil for a dry run's
    /// preview, which shows `[secret NAME]` instead and so never leaks a secret).
    public func request(for record: Record, jobId: String, secrets: [String: String]?) -> CallRequest {
        let values = record.values
        let shown = secrets ?? Dictionary(uniqueKeysWithValues: self.secrets.map { ($0, "[secret \($0)]") })
        let key = self.key?.render(values, secrets: [:]) ?? "\(jobId):\(number):\(record.line)"
        var headers: [String: String] = [:]
        for (name, template) in self.headers { headers[name] = template.render(values, secrets: shown) }
        headers[idempotencyHeader] = key
        return CallRequest(method: method, url: url.render(values, secrets: [:], encode: CallTemplate.urlEncode),
                           headers: headers, body: body.map { Self.render($0, values) }, key: key)
    }

    private static func render(_ body: Body, _ values: [CellValue]) -> String {
        switch body {
        case .literal(let template): literal(template)
        case .text(let template):
            if let slot = template.soleColumn { cellJSON(slot < values.count ? values[slot] : .null) }
            else { JSONString.quoted(template.render(values, secrets: [:])) }
        case .array(let items): "[" + items.map { render($0, values) }.joined(separator: ",") + "]"
        case .object(let fields): "{" + fields.map { JSONString.quoted($0.0) + ":" + render($0.1, values) }.joined(separator: ",") + "}"
        }
    }

    private static func literal(_ template: JSONTemplate) -> String {
        switch template {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let value): value == value.rounded() && abs(value) < 9e15 ? String(Int64(value)) : value.description
        case .string(let value): JSONString.quoted(value)
        case .array(let items): "[" + items.map(literal).joined(separator: ",") + "]"
        case .object(let fields): "{" + fields.keys.sorted().map { JSONString.quoted($0) + ":" + literal(fields[$0]!) }.joined(separator: ",") + "}"
        }
    }

    private static func cellJSON(_ cell: CellValue) -> String {
        switch cell {
        case .null: "null"
        case .string(let text): JSONString.quoted(text)
        case .integer(let value): String(value)
        case .number(let value): value.isFinite ? value.description : "null"
        case .bool(let value): value ? "true" : "false"
        }
    }

    /// The columns the URL names whose value is empty (null or blank text) in `record`.
    public func blankURLColumns(_ record: Record) -> [String] {
        url.columns.filter { slot, _ in
            slot >= record.values.count || record.values[slot].csvText.trimmingCharacters(in: .whitespaces).isEmpty
        }.map(\.name)
    }

    /// The answer's mapped fields, as a JSON array in the step's map order (null for a field
    /// the answer lacks): what the service keeps of a successful item.
    public func mappedText(from document: JSONValue?) -> String {
        "[" + mapped.map { document.flatMap($0.pointer.resolve)?.jsonText ?? "null" }.joined(separator: ",") + "]"
    }

    /// `record` with the mapped columns set from ``mappedText(from:)``'s text (null when the
    /// text is nil or unreadable).
    public func answered(_ record: Record, mappedText: String?) -> Record {
        var out = record
        widen(&out)
        var values: [JSONValue] = []
        if let mappedText, case .array(let items)? = try? JSONValue.parse(Array(mappedText.utf8)) { values = items }
        for (index, entry) in mapped.enumerated() { out.values[entry.slot] = index < values.count ? values[index].cell : .null }
        return out
    }

    /// `record` without an answer (a failed item kept, or a dry run): mapped columns null.
    public func unanswered(_ record: Record) -> Record { answered(record, mappedText: nil) }

    private func widen(_ record: inout Record) {
        if record.values.count > inputColumns.count { record.values.removeLast(record.values.count - inputColumns.count) }
        if record.values.count < outputColumns.count {
            record.values.append(contentsOf: repeatElement(.null, count: outputColumns.count - record.values.count))
        }
    }
}
