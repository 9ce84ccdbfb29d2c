import ArgumentParser
import Foundation
import Messaging
import Outbound
import Runtime

/// `sluice queues`: the broker's queues as the RabbitMQ management API reports them — type,
/// ready and unacknowledged messages, consumers, publish and deliver rates, and for each work
/// queue `P.svc` the depth of its dead-letter queue `P.svc.dlq`.
struct QueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues", abstract: "Show the broker's queues: depth, consumers, rates and dead letters.")

    @Option(help: "The virtual host (default: the one in amqp.url).") var vhost: String?
    @Flag(help: "Every queue of the virtual host, not only Sluice's (those named after topology.prefix).") var all = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var global: GlobalOptions

    /// One queue as shown.
    struct Row: Codable {
        var name: String
        var type: String
        var ready: Int
        var unacked: Int
        var consumers: Int
        var publishRate: Double
        var deliverRate: Double
        /// The depth of the queue's `.dlq`, when it has one.
        var dlq: Int?
    }

    func run() async throws {
        try await exiting {
            let values: ConfigValues
            do { values = try global.values() } catch { throw CLIError(code: ExitCodes.usage, message: describe(error)) }
            let amqp: AMQPConfig
            do {
                amqp = try AMQPConfig(url: values.string("amqp.url", "amqp://sluice:sluice@127.0.0.1:5673/sluice"))
            } catch {
                throw CLIError(code: ExitCodes.usage, message: "amqp.url is not an amqp:// or amqps:// URL")
            }
            let base = values.string("management.url", "http://127.0.0.1:15673")
            let root = base.hasSuffix("/") ? String(base.dropLast()) : base
            let user = values["management.user"] ?? amqp.user
            let password = values["management.password"] ?? amqp.password
            let host = vhost ?? amqp.vhost
            // Only the columns shown: on a busy broker with many queues the full listing is slow.
            let columns = "name,type,arguments,messages,messages_ready,messages_unacknowledged,consumers,message_stats"
            let url = "\(root)/api/queues/\(IncidentAPI.escape(host))?columns=\(columns)"
            let token = Data("\(user):\(password)".utf8).base64EncodedString()
            let result: HTTPResult
            do {
                result = try await Outbound.post(url: url, body: [], method: "GET", headers: ["Authorization": "Basic \(token)"],
                                                 timeout: .seconds(60), maxResponseBytes: 64 << 20)
            } catch {
                throw CLIError(code: ExitCodes.unavailable,
                               message: "cannot reach the RabbitMQ management API at \(url): \(error). Is RabbitMQ running?")
            }
            switch result.status {
            case 200..<300: break
            case 401, 403:
                throw CLIError(code: ExitCodes.usage, message: "the management API refused user '\(user)' (\(result.status)); "
                               + "set management.user and management.password")
            case 404:
                throw CLIError(code: ExitCodes.usage, message: "the management API at \(root) knows no virtual host '\(host)'")
            default:
                throw CLIError(code: ExitCodes.unavailable, message: "\(url) answered \(result.status): "
                               + oneLine(String(decoding: result.body, as: UTF8.self), width: 300))
            }
            let queues: [ManagementQueue]
            do { queues = try JSONDecoder().decode([ManagementQueue].self, from: Data(result.body)) } catch {
                throw CLIError(code: ExitCodes.unavailable, message: "unexpected answer from \(url): \(describe(error))")
            }
            let prefix = values.string("topology.prefix", "sluice") + "."
            let rows = Self.rows(all ? queues : queues.filter { $0.name.hasPrefix(prefix) })
            if json { return try HTTPJSON.print(rows) }
            print(Table.render(rows.map { row in
                [row.name, row.type, String(row.ready), String(row.unacked), String(row.consumers),
                 String(format: "%.1f", row.publishRate), String(format: "%.1f", row.deliverRate),
                 row.dlq.map { String($0) } ?? ""]
            }, header: ["NAME", "TYPE", "READY", "UNACKED", "CONSUMERS", "PUBLISH/S", "DELIVER/S", "DLQ"]))
        }
    }

    /// The rows, sorted by name, each work queue with the depth of its `.dlq`.
    static func rows(_ queues: [ManagementQueue]) -> [Row] {
        let depth = Dictionary(queues.map { queue in
            (queue.name, queue.messages ?? ((queue.messagesReady ?? 0) + (queue.messagesUnacknowledged ?? 0)))
        }, uniquingKeysWith: { first, _ in first })
        return queues.sorted { $0.name < $1.name }.map { queue in
            Row(name: queue.name, type: queue.arguments?.queueType ?? queue.type ?? "classic",
                ready: queue.messagesReady ?? 0, unacked: queue.messagesUnacknowledged ?? 0, consumers: queue.consumers ?? 0,
                publishRate: queue.messageStats?.publishDetails?.rate ?? 0,
                deliverRate: queue.messageStats?.deliverGetDetails?.rate ?? 0,
                dlq: queue.name.hasSuffix(".dlq") ? nil : depth[queue.name + ".dlq"])
        }
    }

    /// A queue as `GET /api/queues/{vhost}` describes it. Every field but the name may be
    /// absent (a queue without statistics yet) or shaped unexpectedly; those read as absent.
    struct ManagementQueue: Decodable {
        var name: String
        var type: String?
        var arguments: Arguments?
        var messages: Int?
        var messagesReady: Int?
        var messagesUnacknowledged: Int?
        var consumers: Int?
        var messageStats: Stats?

        struct Arguments: Decodable {
            var queueType: String?
            enum CodingKeys: String, CodingKey { case queueType = "x-queue-type" }
        }

        struct Stats: Decodable {
            var publishDetails: Rate?
            var deliverGetDetails: Rate?
            enum CodingKeys: String, CodingKey {
                case publishDetails = "publish_details"
                case deliverGetDetails = "deliver_get_details"
            }
        }

        struct Rate: Decodable { var rate: Double? }

        enum CodingKeys: String, CodingKey {
            case name, type, arguments, messages, consumers
            case messagesReady = "messages_ready"
            case messagesUnacknowledged = "messages_unacknowledged"
            case messageStats = "message_stats"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            type = try? container.decodeIfPresent(String.self, forKey: .type)
            arguments = try? container.decodeIfPresent(Arguments.self, forKey: .arguments)
            messages = try? container.decodeIfPresent(Int.self, forKey: .messages)
            messagesReady = try? container.decodeIfPresent(Int.self, forKey: .messagesReady)
            messagesUnacknowledged = try? container.decodeIfPresent(Int.self, forKey: .messagesUnacknowledged)
            consumers = try? container.decodeIfPresent(Int.self, forKey: .consumers)
            messageStats = try? container.decodeIfPresent(Stats.self, forKey: .messageStats)
        }
    }
}
