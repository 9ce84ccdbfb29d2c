import Contracts
import Foundation

/// Reading plans from text (JSON or YAML) with errors a person can act on.
extension ProcessingPlan {
    /// Reads a plan from JSON or YAML text: text whose first non-blank character is `{` is
    /// JSON, anything else YAML.
    ///
    /// YAML is read with the YAML 1.2 core schema, so `yes`, `no`, `on` and `off` stay text
    /// (the "Norway problem"), quoted scalars are always text, and unquoted numbers follow
    /// `CellValue.coerce` (a leading zero such as `007` keeps it text). A YAML plan and the
    /// same plan in JSON decode to equal values.
    ///
    /// Throws `plan.invalid-document` naming the problem, the path to it
    /// (`steps[3].columns`) and, when inside a step, its 1-based number.
    public static func parse(text: String) throws(PlanError) -> ProcessingPlan {
        let isJSON = text.first(where: { !$0.isWhitespace }) == "{"
        let json: Data
        if isJSON {
            json = Data(text.utf8)
        } else {
            do {
                json = Data(try YAMLBridge.json(fromYAML: text).utf8)
            } catch {
                throw PlanError(code: .invalidDocument, detail: "not valid YAML: \(oneLine(String(describing: error)))")
            }
        }
        do {
            return try JSONDecoder().decode(ProcessingPlan.self, from: json)
        } catch let error as DecodingError {
            throw describe(error, json: json)
        } catch {
            throw PlanError(code: .invalidDocument, detail: "not valid JSON: \(error.localizedDescription)")
        }
    }

    /// Turns a decoding error into a `plan.invalid-document` error with a readable path.
    static func describe(_ error: DecodingError, json: Data) -> PlanError {
        let (path, detail): ([any CodingKey], String)
        switch error {
        case .keyNotFound(let key, let context):
            (path, detail) = (context.codingPath + [key], context.debugDescription.hasPrefix("step")
                ? context.debugDescription : "missing field '\(key.stringValue)'")
        case .typeMismatch(let type, let context):
            (path, detail) = (context.codingPath, "expected \(typeName(type)) (\(context.debugDescription))")
        case .valueNotFound(let type, let context):
            (path, detail) = (context.codingPath, "expected \(typeName(type)) but found null")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                (path, detail) = ([], "not valid JSON: " + syntaxProblem(in: json))
            } else {
                (path, detail) = (context.codingPath, context.debugDescription)
            }
        @unknown default:
            (path, detail) = ([], String(describing: error))
        }
        let step = PlanCodingKey.stepNumber(in: path)
        let prefix = step.map { detail.hasPrefix("step \($0)") ? "" : "step \($0): " } ?? ""
        let suffix = path.isEmpty ? "" : " (at \(render(path)))"
        return PlanError(code: .invalidDocument, detail: prefix + detail + suffix, step: step)
    }

    static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "a list" }
        if name.hasPrefix("Dictionary") { return "an object" }
        switch type {
        case is String.Type: return "text"
        case is Int.Type, is Int64.Type, is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default: return name
        }
    }

    /// Where JSON text is malformed, as `JSONSerialization` describes it ("Invalid value
    /// around line 1, column 25").
    static func syntaxProblem(in json: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
            return "the text is not a JSON object"
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return oneLine(detail ?? error.localizedDescription)
        }
    }

    /// Parser messages span lines; a plan error is one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// `steps[2].columns` style path.
    static func render(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }
}
