import Contracts
import Foundation
import Tabular

/// A `call` step checked against the columns at its step: every template resolved, every
/// pointer parsed, the policy in range. Builds each record's request and puts the answer's
/// mapped fields into the record; the transform service does the calling.
public struct CompiledCall: Sendable {
    /// The step as written.
    public let step: CallStep
    /// Its 1-based number in the plan.
    public let number: Int
    /// The columns records come in with.
    public let inputColumns: [String]
    /// The columns records leave with: the input's, then new mapped columns (sorted by name).
    public let outputColumns: [String]
    /// Timeouts, retries and concurrency.
    public let policy: CallPolicy
    /// The secrets the headers name (the service must have each).
    public let secrets: Set<String>
    /// The header the idempotency key goes in.
    public let idempotencyHeader: String

    let method: String
    let url: CallTemplate
    let headers: [(name: String, value: CallTemplate)]
    let body: Body?
    let key: CallTemplate?
    let mapped: [(slot: Int, pointer: JSONPointer)]

    /// A body template with its strings compiled.
    indirect enum Body: Sendable {
        case literal(JSONTemplate)
        case text(CallTemplate)
        case array([Body])
        case object([(String, Body)])
    }

    /// The methods a call step may use.
    public static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    /// Compiles `step` (plan step `number`) against `columns`.
    public init(_ step: CallStep, number: Int, columns: [String], maxConcurrency: Int) throws(PlanError) {
        let method = step.method.uppercased()
        guard Self.methods.contains(method) else {
            throw PlanError(code: .invalidStep, detail: "\"method\" must be one of \(Self.methods.joined(separator: ", ")), not '\(step.method)'")
        }
        guard step.url.lowercased().hasPrefix("http://") || step.url.lowercased().hasPrefix("https://") else {
            throw PlanError(code: .invalidStep, detail: "\"url\" must start with http:// or https://, not '\(step.url)'")
        }
        if method == "GET", step.body != nil {
            throw PlanError(code: .invalidStep, detail: "a GET call has no \"body\"; use POST, PUT or PATCH")
        }
        self.step = step
        self.number = number
        self.method = method
        inputColumns = columns
        policy = try CallPolicy(step, maxConcurrency: maxConcurrency)
        url = try CallTemplate(step.url, columns: columns, allowSecrets: false, field: "url")
        var headers: [(name: String, value: CallTemplate)] = []
        for name in (step.headers ?? [:]).keys.sorted() {
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }) else {
                throw PlanError(code: .invalidStep, detail: "header name '\(name)' is not a valid HTTP header name")
            }
            headers.append((name, try CallTemplate(step.headers![name]!, columns: columns, allowSecrets: true,
                                                   field: "headers.\(name)")))
        }
        self.headers = headers
        secrets = Set(headers.flatMap(\.value.secrets))
        body = try step.body.map { (body) throws(PlanError) in try Self.compile(body, columns: columns, path: "body") }
        key = try step.idempotencyKey.map { (text) throws(PlanError) in
            try CallTemplate(text, columns: columns, allowSecrets: false, field: "idempotencyKey")
        }
        idempotencyHeader = step.idempotencyHeader ?? "Idempotency-Key"
        var output = columns
        var mapped: [(slot: Int, pointer: JSONPointer)] = []
        for column in (step.map ?? [:]).keys.sorted() {
            guard !column.isEmpty else { throw PlanError(code: .invalidStep, detail: "\"map\" has an empty column name") }
            let pointer: JSONPointer
            do { pointer = try JSONPointer(step.map![column]!) } catch {
                throw PlanError(code: .invalidStep, detail: "map.\(column): \(error.detail)")
            }
            if let slot = output.firstIndex(of: column) {
                mapped.append((slot, pointer))
            } else {
                output.append(column)
                mapped.append((output.count - 1, pointer))
            }
        }
        outputColumns = output
        self.mapped = mapped
    }

    private static func compile(_ template: JSONTemplate, columns: [String], path: String) throws(PlanError) -> Body {
        switch template {
        case .string(let text):
            guard text.contains("{{") else { return .literal(template) }
            return .text(try CallTemplate(text, columns: columns, allowSecrets: false, field: path))
        case .array(let items):
            var compiled: [Body] = []
            for (index, item) in items.enumerated() { compiled.append(try compile(item, columns: columns, path: "\(path)[\(index)]")) }
            return .array(compiled)
        case .object(let fields):
            var compiled: [(String, Body)] = []
            for key in fields.keys.sorted() { compiled.append((key, try compile(fields[key]!, columns: columns, path: "\(path).\(key)"))) }
            return .object(compiled)
        default:
            return .literal(template)
        }
    }
}
