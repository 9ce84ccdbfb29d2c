import Foundation
import Logging

/// Log output format: readable lines for people, JSON lines for log shippers.
public enum LogFormat: String, Sendable {
    case human, json
}

/// Installs the process-wide log handler once, at the top of `main`.
public enum LogSetup {
    /// Bootstraps swift-log with `format` at `level`, writing to standard error.
    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = switch format {
            case .human: StreamLogHandler.standardError(label: label)
            case .json: JSONLogHandler(label: label)
            }
            handler.logLevel = level
            return handler
        }
    }
}

/// One JSON object per line: `ts`, `level`, `logger`, `msg` and every metadata key (job id,
/// message id and correlation id ride in metadata).
public struct JSONLogHandler: LogHandler {
    /// The logger label.
    public let label: String
    /// Metadata attached to every line.
    public var metadata: Logger.Metadata = [:]
    /// Minimum level written.
    public var logLevel: Logger.Level = .info
    private static let lock = NSLock()

    /// Creates a handler for `label`.
    public init(label: String) { self.label = label }

    /// Per-key metadata access.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one JSON line with the merged metadata (the `LogHandler` entry point).
    // swiftlint:disable:next function_parameter_count
    public func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
                    source: String, file: String, function: String, line: UInt) {
        var object: [String: String] = [
            "ts": Date().formatted(.iso8601), "level": level.rawValue, "logger": label, "msg": message.description,
        ]
        for (key, value) in metadata.merging(explicit ?? [:], uniquingKeysWith: { $1 }) { object[key] = "\(value)" }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        Self.lock.withLock {
            FileHandle.standardError.write(data)
            FileHandle.standardError.write(Data([0x0A]))
        }
    }
}
