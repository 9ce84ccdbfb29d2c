import Contracts
import Foundation
import Tabular

/// An RFC 6901 JSON Pointer (`/product/title`, `/items/0/id`, `~1` for `/`, `~0` for `~`),
/// read against a parsed JSON document (`JSONSerialization`'s objects).
public struct JSONPointer: Sendable, Hashable {
    /// The reference tokens, unescaped.
    public let tokens: [String]

    /// Parses a pointer; `""` is the whole document.
    public init(_ text: String) throws(PlanError) {
        guard !text.isEmpty else { tokens = []; return }
        guard text.hasPrefix("/") else {
            throw PlanError(code: .invalidStep, detail: "'\(text)' is not a JSON Pointer: it must be empty or start with '/'")
        }
        var tokens: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var index = raw.startIndex
            while index < raw.endIndex {
                let character = raw[index]
                if character == "~" {
                    let next = raw.index(after: index)
                    guard next < raw.endIndex, raw[next] == "0" || raw[next] == "1" else {
                        throw PlanError(code: .invalidStep, detail: "'\(text)': '~' must be followed by 0 or 1 (RFC 6901)")
                    }
                    token.append(raw[next] == "0" ? "~" : "/")
                    index = raw.index(after: next)
                } else {
                    token.append(character)
                    index = raw.index(after: index)
                }
            }
            tokens.append(token)
        }
        self.tokens = tokens
    }

    /// The value the pointer names in `document`, or nil when it names nothing.
    public func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let fields):
                guard let next = fields[token] else { return nil }
                current = next
            case .array(let items):
                // RFC 6901: an array index is 0 or digits without a leading zero.
                guard token == "0" || (token.first != "0" && token.allSatisfy(\.isASCII)), let index = Int(token),
                      items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}
