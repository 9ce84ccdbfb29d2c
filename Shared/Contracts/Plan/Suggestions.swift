import Tabular
/// "Did you mean …" hints for misspelt column and function names.
public enum Suggestions {
    /// The candidate closest to `name`: an exact case-insensitive match first, then the
    /// nearest by edit distance (at most 1 for names of up to 3 characters, else 2), then —
    /// for abbreviations such as `rnd` — a candidate containing the name's letters in order.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        let lowered = name.lowercased()
        if let match = candidates.first(where: { $0.lowercased() == lowered }) { return match }
        let limit = name.count <= 3 ? 1 : 2
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        if let best { return best.name }
        guard name.count >= 3 else { return nil }
        return candidates.first { isSubsequence(lowered, of: $0.lowercased()) }
    }

    /// Whether the characters of `short` appear in `long` in order.
    static func isSubsequence(_ short: String, of long: String) -> Bool {
        var remaining = long[...]
        for character in short {
            guard let index = remaining.firstIndex(of: character) else { return false }
            remaining = remaining[remaining.index(after: index)...]
        }
        return true
    }

    /// Levenshtein distance between two strings, by characters.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// A comma-separated list of names for messages, shortened past `limit` entries.
    public static func list(_ names: [String], limit: Int = 30) -> String {
        guard !names.isEmpty else { return "(none)" }
        if names.count <= limit { return names.joined(separator: ", ") }
        return names.prefix(limit).joined(separator: ", ") + ", … (\(names.count - limit) more)"
    }
}
