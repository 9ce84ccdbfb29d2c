import APIModels
import AsyncHTTPClient
import Foundation
import Hosting
import Hummingbird
import NIOCore
import Runtime

/// Health, the OpenAPI document, the broker's queues and the audit log.
struct SystemRoutes {
    let api: GatewayAPI
    let settings: GatewaySettings
    let audit: AuditRepository
    /// The document, read once at start (nil: the file was missing; answered 503).
    let openAPI: ByteBuffer?

    /// `GET /api/v1/health`.
    struct Health: Codable, Sendable {
        var status: String
        var services: [String: String]
    }

    func add() {
        api.add("getHealth") { _, _, _ in
            let services = await health()
            let healthy = !services.values.contains("down")
            return HTTPResponses.json(Health(status: healthy ? "ok" : "degraded", services: services))
        }
        api.add("getOpenAPI") { _, _, _ in
            guard let openAPI else {
                throw Problem(.serviceUnavailable, "gateway.no-openapi",
                              "the OpenAPI document was not found at start (gateway.openapi.file=\(settings.openAPIFile))")
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: openAPI))
        }
        api.add("listQueues") { _, _, _ in HTTPResponses.json(try await queues()) }
        api.add("listAudit") { request, _, _ in
            HTTPResponses.json(try await audit.list(
                actor: request.query("actor"), action: request.query("action"), target: request.query("target"),
                before: try request.query("before").map { text in
                    guard let id = Int(text) else {
                        throw Problem.badRequest("request.invalid-parameter", "before is an audit entry id")
                    }
                    return id
                }, limit: try request.query("limit", in: 1...1000, fallback: 100)))
        }
    }

    /// Each service's `/health`, at the address the gateway knows (2 s each, all at once).
    func health() async -> [String: String] {
        await withTaskGroup(of: (String, String).self) { group in
            for (name, base) in settings.services {
                group.addTask {
                    var request = HTTPClientRequest(url: base + "/health")
                    request.method = .GET
                    let up = try? await HTTPClient.shared.execute(request, timeout: .seconds(2))
                    return (name, up?.status == .ok ? "up" : "down")
                }
            }
            var result: [String: String] = ["gateway": "up"]
            for await (name, state) in group { result[name] = state }
            return result
        }
    }

    /// Sluice's queues, from the RabbitMQ management API.
    func queues() async throws -> [QueueRow] { try await Self.queues(settings) }

    /// Sluice's queues, from the RabbitMQ management API `settings` name.
    static func queues(_ settings: GatewaySettings) async throws -> [QueueRow] {
        let management = settings.management
        let vhost = management.vhost.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? management.vhost
        let columns = "name,type,arguments,messages,messages_ready,messages_unacknowledged,consumers,message_stats"
        var request = HTTPClientRequest(url: "\(management.url)/api/queues/\(vhost)?columns=\(columns)")
        // Uncompressed: the listing compresses past AsyncHTTPClient's decompression ratio limit.
        request.headers.add(name: "Accept-Encoding", value: "identity")
        request.headers.add(name: "Authorization",
                            value: "Basic " + Data("\(management.user):\(management.password)".utf8).base64EncodedString())
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        } catch {
            throw Problem(.serviceUnavailable, "gateway.broker-unavailable", "the RabbitMQ management API did not answer", retryAfter: 5)
        }
        guard response.status == .ok else {
            throw Problem(.badGateway, "gateway.broker-refused", "the RabbitMQ management API answered \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: 64 << 20)
        let queues = try JSONDecoder().decode([ManagementQueue].self, from: Data(body.readableBytesView))
        return QueueRow.rows(queues.filter { $0.name.hasPrefix(management.prefix + ".") })
    }
}
