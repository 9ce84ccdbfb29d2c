import ArgumentParser
import Catalog
import Hosting
import Logging

/// `sluice serve <service>`: run one service until SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run one service (\(ServiceCatalog.names.joined(separator: ", "))).")

    @Argument(help: "The service to run.")
    var service: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try global.bootstrapLogging()
        guard let descriptor = ServiceCatalog.descriptor(service) else {
            throw ValidationError("unknown service '\(service)'; choose one of \(ServiceCatalog.names.joined(separator: ", "))")
        }
        let values = try global.values()
        try MemoryTuning(values: values, service: service).apply()
        let config = try ServiceCatalog.config(service, values: values)
        let logger = Logger(label: "sluice.\(service)")
        let host = try descriptor.build(config: config, logger: logger, handleSignals: true)
        logger.info("starting", metadata: ["broker": "\(config.amqp.redacted)", "database": "\(config.database.redacted)",
                                           "http": "\(config.httpHost):\(config.httpPort)"])
        try await host.run()
        logger.info("stopped")
    }
}
