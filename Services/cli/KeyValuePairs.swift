/// `--tag key=value` options (repeatable) as a dictionary: the one parser every command's tags
/// go through, so they all accept and refuse the same things.
enum KeyValuePairs {
    /// The pairs of `items`; a usage error for one without a key, `=` and a value.
    static func parse(_ items: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw CLIError(code: ExitCodes.usage, message: "--tag expects key=value, got '\(item)'")
            }
            result[parts[0]] = parts[1]
        }
        return result
    }
}
