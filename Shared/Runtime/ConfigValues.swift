import Contracts
import Foundation

/// Raw configuration as dotted keys (`amqp.url`, `http.port`, `ingest.roots`), merged with
/// the 12-factor precedence flags > environment > file > defaults. Typed structs are built
/// from it once, at the top of a process; nothing deeper reads the environment.
public struct ConfigValues: Sendable {
    private var values: [String: String]

    /// Merges the sources. Environment keys map as `SLUICE_AMQP_URL` → `amqp.url`; the file is
    /// a JSON object, nested or with dotted keys; flags are `key=value` pairs.
    public init(flags: [String] = [], environment: [String: String] = [:], file: String? = nil) throws {
        var merged: [String: String] = [:]
        if let file {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
                throw SluiceError.permanent("config.file-unreadable", "cannot read config file \(file): \(error.localizedDescription)")
            }
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw SluiceError.permanent("config.file-invalid", "config file \(file) is not a JSON object")
            }
            Self.flatten(object, prefix: "", into: &merged)
        }
        for (key, value) in environment where key.hasPrefix("SLUICE_") {
            merged[key.dropFirst("SLUICE_".count).lowercased().replacingOccurrences(of: "_", with: ".")] = value
        }
        for flag in flags {
            guard let eq = flag.firstIndex(of: "=") else {
                throw SluiceError.permanent("config.flag-invalid", "expected key=value, got '\(flag)'")
            }
            merged[String(flag[..<eq])] = String(flag[flag.index(after: eq)...])
        }
        values = merged
    }

    /// Values given directly (tests).
    public init(_ values: [String: String]) { self.values = values }

    private static func flatten(_ object: [String: Any], prefix: String, into result: inout [String: String]) {
        for (key, value) in object {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            switch value {
            case let nested as [String: Any]: flatten(nested, prefix: path, into: &result)
            case let list as [Any]: result[path] = list.map { "\($0)" }.joined(separator: ",")
            default: result[path] = "\(value)"
            }
        }
    }

    /// The text value of `key`.
    public subscript(key: String) -> String? { values[key] }

    /// Every key starting with `prefix`, sorted.
    public func keys(withPrefix prefix: String) -> [String] { values.keys.filter { $0.hasPrefix(prefix) }.sorted() }

    /// A string with a default.
    public func string(_ key: String, _ fallback: String) -> String { values[key] ?? fallback }

    /// An integer with a default; a value that is not a number is a configuration error.
    public func int(_ key: String, _ fallback: Int) throws -> Int {
        guard let text = values[key] else { return fallback }
        guard let value = Int(text) else {
            throw SluiceError.permanent("config.not-a-number", "\(key) must be a whole number, got '\(text)'")
        }
        return value
    }

    /// A number with a default.
    public func double(_ key: String, _ fallback: Double) throws -> Double {
        guard let text = values[key] else { return fallback }
        guard let value = Double(text) else {
            throw SluiceError.permanent("config.not-a-number", "\(key) must be a number, got '\(text)'")
        }
        return value
    }

    /// A boolean (`true/false/1/0/yes/no`) with a default.
    public func bool(_ key: String, _ fallback: Bool) throws -> Bool {
        guard let text = values[key]?.lowercased() else { return fallback }
        switch text {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw SluiceError.permanent("config.not-a-boolean", "\(key) must be true or false, got '\(text)'")
        }
    }

    /// A comma-separated list with a default.
    public func list(_ key: String, _ fallback: [String]) -> [String] {
        guard let text = values[key] else { return fallback }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A copy with `key` set (tests and composition roots).
    public func setting(_ key: String, _ value: String) -> ConfigValues {
        var copy = self
        copy.values[key] = value
        return copy
    }
}
