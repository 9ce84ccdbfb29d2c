import Tabular
/// A coding key for any field name, so decoders can list the fields an object actually
/// has and reject unknown ones (a typo such as `"colums"` must not be silently ignored).
public struct PlanCodingKey: CodingKey, Hashable {
    /// The field name.
    public let stringValue: String
    /// The array index, for keys inside arrays.
    public let intValue: Int?

    /// A key for a field name.
    public init(_ name: String) {
        stringValue = name
        intValue = nil
    }

    /// A key for a field name.
    public init?(stringValue: String) { self.init(stringValue) }

    /// A key for an array index.
    public init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }

    /// Throws a decoding error naming the first field of `container` not in `allowed`.
    static func rejectUnknown(in container: KeyedDecodingContainer<PlanCodingKey>, allowed: [String],
                              context: String) throws {
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue })
        where !allowed.contains(key.stringValue) {
            let hint = Suggestions.closest(to: key.stringValue, among: allowed).map { " (did you mean '\($0)'?)" } ?? ""
            throw DecodingError.dataCorrupted(.init(
                codingPath: container.codingPath + [key],
                debugDescription: "\(context): unknown field '\(key.stringValue)'\(hint); "
                    + "fields are: \(allowed.joined(separator: ", "))"))
        }
    }

    /// The 1-based step number of a decoder positioned inside `steps[i]`, if any.
    public static func stepNumber(in path: [any CodingKey]) -> Int? {
        guard let stepsIndex = path.firstIndex(where: { $0.stringValue == "steps" }),
              stepsIndex + 1 < path.count, let index = path[stepsIndex + 1].intValue
        else { return nil }
        return index + 1
    }
}
