import Contracts
import Tabular
/// A compiled regular expression that compiled plans share across threads.
///
/// `Regex<AnyRegexOutput>` is not `Sendable` only because `AnyRegexOutput` is not; the
/// regex itself is immutable after construction, and the standard library lowers its
/// matching program lazily through an atomic compare-and-swap (`Regex.Program`), so
/// concurrent matching from several chunks is safe. Matches never leave the thread that
/// made them.
struct SharedRegex: @unchecked Sendable {
    /// The pattern as written in the plan.
    let pattern: String
    let regex: Regex<AnyRegexOutput>

    /// Compiles `pattern`, or throws `plan.invalid-regex` with the parser's reason.
    init(_ pattern: String) throws(PlanError) {
        self.pattern = pattern
        do {
            regex = try Regex(pattern)
        } catch {
            throw PlanError(code: .invalidRegex, detail: "invalid regular expression '\(pattern)': \(error)")
        }
    }

    /// Whether the pattern matches anywhere in `text`.
    func matches(in text: String) -> Bool {
        text.contains(regex)
    }

    /// `text` with every match replaced by `template` expanded for that match.
    func replacing(in text: String, with template: TextTransforms.Template) -> String {
        text.replacing(regex) { template.expand($0) }
    }
}
