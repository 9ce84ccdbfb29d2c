import ArgumentParser
import Catalog
import Contracts
import Foundation
import Hosting
import Messaging

/// `sluice topology`: print the broker topology as a RabbitMQ definitions file
/// (`rabbitmqctl import_definitions` or the management UI can load it).
struct TopologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topology",
                                                    abstract: "Print the broker topology as RabbitMQ definitions JSON.")

    @Option(help: "Name prefix.") var prefix: String = "sluice"
    @Option(help: "Virtual host.") var vhost: String = "sluice"
    @OptionGroup var global: GlobalOptions

    func run() throws {
        // Queue type, delivery limit and retry delays come from configuration, as in `serve`.
        var config = try ServiceCatalog.config("ingest", values: try global.values())
        config.topology.prefix = prefix
        let definitions = RabbitDefinitions(topology: config.topology.all(policies: config.retry), vhost: vhost)
        print(String(decoding: try JSONCoding.encoder(pretty: true).encode(definitions), as: UTF8.self))
    }
}
