import APIModels
import ArgumentParser
import Foundation
import Messaging
import Outbound
import Runtime

/// `sluice queues`: Sluice's queues as the gateway reports them from the RabbitMQ management
/// API — type, ready and unacknowledged messages, consumers, publish and deliver rates, and for
/// each work queue `P.svc` the depth of its dead-letter queue `P.svc.dlq`.
struct QueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues", abstract: "Show the broker's queues: depth, consumers, rates and dead letters.")

    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            let rows = try await APIClient(global: global).get([QueueRow].self, "/queues")
            if json { return try HTTPJSON.print(rows) }
            print(Table.render(rows.map { row in
                [row.name, row.type, String(row.ready), String(row.unacked), String(row.consumers),
                 String(format: "%.1f", row.publishRate), String(format: "%.1f", row.deliverRate),
                 row.dlq.map { String($0) } ?? ""]
            }, header: ["NAME", "TYPE", "READY", "UNACKED", "CONSUMERS", "PUBLISH/S", "DELIVER/S", "DLQ"]))
        }
    }
}
