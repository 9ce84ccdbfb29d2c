import ArgumentParser
import Catalog
import Foundation
import Hosting
import Logging
import Runtime

/// Options every command shares: where configuration comes from.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "A JSON configuration file.")
    var config: String?

    @Option(name: .customLong("set"), help: "Set a configuration key, e.g. --set amqp.url=amqp://…  (repeatable)")
    var settings: [String] = []

    @Option(name: .long, help: "Log format: human or json.")
    var logFormat: String = "human"

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    /// flags > environment > file > defaults.
    func values() throws -> ConfigValues {
        try ConfigValues(flags: settings, environment: ProcessInfo.processInfo.environment, file: config)
    }

    func bootstrapLogging() throws {
        guard let format = LogFormat(rawValue: logFormat) else {
            throw ValidationError("--log-format must be human or json")
        }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        LogSetup.bootstrap(format: format, level: level)
    }
}
