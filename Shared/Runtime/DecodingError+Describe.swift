/// A short, readable description of a decoding error.
public func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, let context):
        return "missing field '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
        return "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
    case DecodingError.dataCorrupted(let context):
        return "invalid data at '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
    default:
        return "\(error)"
    }
}
