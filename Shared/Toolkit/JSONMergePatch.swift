import Foundation

/// JSON merge patch (RFC 7396), over `JSONSerialization` objects: the edits of schedules and
/// catalog entries. Members of the patch replace the target's, `null` removes one, and
/// objects merge member by member.
public enum JSONMergePatch {
    /// `target` with `patch` applied.
    public static func apply(_ patch: [String: Any], to target: [String: Any]) -> [String: Any] {
        var result = target
        for (key, value) in patch {
            if value is NSNull {
                result[key] = nil
            } else if let object = value as? [String: Any] {
                result[key] = apply(object, to: result[key] as? [String: Any] ?? [:])
            } else {
                result[key] = value
            }
        }
        return result
    }
}
