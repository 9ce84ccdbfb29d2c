import Contracts
import Tabular
/// Why a plan cannot run, found before any row is processed.
///
/// Every error carries a stable `code` for programs, the 1-based `step` and its `op` for
/// people, and — for expressions — the expression text and the 1-based character
/// `position` of the problem, so a UI can underline it. `message` reads as one sentence:
///
///     step 3 (derive 'pass'): unknown column 'grade' at position 1 in `grade >= 50`;
///     columns at this step are: name, score
///
/// and `caret` draws the expression with a `^` under the position.
public struct PlanError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// A stable, machine-readable error code such as `plan.unknown-column`.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The code text, e.g. `plan.syntax-error`.
        public let rawValue: String
        /// Wraps a code text.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code text.
        public var description: String { rawValue }

        /// A column name that does not exist at that step.
        public static let unknownColumn = Code(rawValue: "plan.unknown-column")
        /// An expression that is not well formed.
        public static let syntaxError = Code(rawValue: "plan.syntax-error")
        /// A call to a function the language does not have.
        public static let unknownFunction = Code(rawValue: "plan.unknown-function")
        /// A function called with the wrong number of arguments.
        public static let arity = Code(rawValue: "plan.arity")
        /// A literal argument that can never be valid (`date_diff('weeks', a, b)`).
        public static let invalidArgument = Code(rawValue: "plan.invalid-argument")
        /// An expression over the length or nesting limits.
        public static let expressionTooComplex = Code(rawValue: "plan.expression-too-complex")
        /// A step whose parameters make no sense (empty column list, second dedupe, …).
        public static let invalidStep = Code(rawValue: "plan.invalid-step")
        /// A step that would create two columns with the same name.
        public static let duplicateColumn = Code(rawValue: "plan.duplicate-column")
        /// A regular expression that does not compile.
        public static let invalidRegex = Code(rawValue: "plan.invalid-regex")
        /// A date format with an unsupported directive or missing fields.
        public static let invalidFormat = Code(rawValue: "plan.invalid-format")
        /// Plan text that is not valid JSON or YAML, or does not match the plan format.
        public static let invalidDocument = Code(rawValue: "plan.invalid-document")
    }

    /// The stable error code.
    public var code: Code
    /// The 1-based index of the failing step, when the error belongs to one.
    public var step: Int?
    /// The failing step's `op` (`derive`, `filter`, …).
    public var op: String?
    /// The column or other subject the step names (`pass` in `derive 'pass'`), if any.
    public var subject: String?
    /// The problem itself, without the step prefix.
    public var detail: String
    /// The expression text the problem is in, if any.
    public var expression: String?
    /// The 1-based character position in `expression`, if any.
    public var position: Int?

    /// Creates an error; the compiler fills in `step`, `op` and `subject`.
    public init(code: Code, detail: String, step: Int? = nil, op: String? = nil,
                subject: String? = nil, expression: String? = nil, position: Int? = nil) {
        self.code = code
        self.detail = detail
        self.step = step
        self.op = op
        self.subject = subject
        self.expression = expression
        self.position = position
    }

    /// The step prefix, e.g. `step 3 (derive 'pass')`, or `nil` for plan-level errors.
    public var location: String? {
        guard let step else { return nil }
        guard let op else { return "step \(step)" }
        guard let subject else { return "step \(step) (\(op))" }
        return "step \(step) (\(op) '\(subject)')"
    }

    /// One sentence for a person: location, problem and how to fix it.
    ///
    /// `plan.invalid-document` errors come from decoding, whose details already name the
    /// step (`step 2: unknown op 'frobnicate'`), so they are not prefixed again.
    public var message: String {
        guard let location, code != .invalidDocument else { return detail }
        return location + ": " + detail
    }

    /// The expression with a `^` under the failing character, or `nil` without one.
    public var caret: String? {
        guard let expression, let position else { return nil }
        let line = expression.map { $0 == "\n" || $0 == "\t" || $0 == "\r" ? " " : $0 }
        return String(line) + "\n" + String(repeating: " ", count: max(0, position - 1)) + "^"
    }

    /// `message`, followed by the caret diagram when there is one.
    public var description: String {
        guard let caret else { return message }
        return message + "\n" + caret
    }

    /// The same error attributed to a step.
    func at(step: Int, op: String, subject: String?) -> PlanError {
        var copy = self
        copy.step = step
        copy.op = op
        copy.subject = subject
        return copy
    }

    private enum CodingKeys: String, CodingKey {
        case code, step, op, subject, detail, expression, position, message, caret
    }

    /// Decodes the stored fields; `message` and `caret` are recomputed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(Code.self, forKey: .code)
        detail = try container.decode(String.self, forKey: .detail)
        step = try container.decodeIfPresent(Int.self, forKey: .step)
        op = try container.decodeIfPresent(String.self, forKey: .op)
        subject = try container.decodeIfPresent(String.self, forKey: .subject)
        expression = try container.decodeIfPresent(String.self, forKey: .expression)
        position = try container.decodeIfPresent(Int.self, forKey: .position)
    }

    /// Encodes the fields plus the rendered `message` and `caret`, for clients that only
    /// display them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(detail, forKey: .detail)
        try container.encodeIfPresent(step, forKey: .step)
        try container.encodeIfPresent(op, forKey: .op)
        try container.encodeIfPresent(subject, forKey: .subject)
        try container.encodeIfPresent(expression, forKey: .expression)
        try container.encodeIfPresent(position, forKey: .position)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(caret, forKey: .caret)
    }
}
