import ArgumentParser
import Contracts
import Foundation
import Messaging
import ServiceRuntime

/// `sluice topology`: print the broker topology as a RabbitMQ definitions file
/// (`rabbitmqctl import_definitions` or the management UI can load it).
struct TopologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "topology",
                                                    abstract: "Print the broker topology as RabbitMQ definitions JSON.")

    @Option(help: "Name prefix.") var prefix: String = "sluice"
    @Option(help: "Virtual host.") var vhost: String = "sluice"

    func run() throws {
        let definitions = RabbitDefinitions(topology: SluiceTopology(prefix: prefix).all(), vhost: vhost)
        print(String(decoding: try JSONCoding.encoder(pretty: true).encode(definitions), as: UTF8.self))
    }
}
