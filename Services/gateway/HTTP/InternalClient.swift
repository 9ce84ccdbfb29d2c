import APIModels
import AsyncHTTPClient
import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// The gateway's client to the internal services' HTTP APIs: pooled keep-alive connections
/// (AsyncHTTPClient's shared client), bodies streamed both ways, the internal credential
/// and the authenticated actor (`X-Sluice-Actor`, trusted only from the gateway) attached.
struct InternalClient: Sendable {
    let settings: GatewaySettings
    var timeout: TimeAmount = .seconds(60)

    /// An internal error body, `{"error": {"code", "message"}}`.
    private struct InternalError: Decodable {
        struct Detail: Decodable { var code: String; var message: String }
        var error: Detail
    }

    private func request(_ service: String, _ method: HTTPMethod, _ path: String, query: String?,
                         actor: String?) throws -> HTTPClientRequest {
        guard let base = settings.services[service] else { throw Problem(.internalServerError, "gateway.internal", "no \(service) URL") }
        var request = HTTPClientRequest(url: base + path + (query.map { $0.isEmpty ? "" : "?" + $0 } ?? ""))
        request.method = method
        if let authorization = settings.internalAuthorization { request.headers.add(name: "Authorization", value: authorization) }
        if let actor { request.headers.add(name: "X-Sluice-Actor", value: actor) }
        return request
    }

    private func execute(_ request: HTTPClientRequest, _ service: String,
                         timeout: TimeAmount? = nil) async throws -> HTTPClientResponse {
        do {
            return try await HTTPClient.shared.execute(request, timeout: timeout ?? self.timeout)
        } catch let problem as Problem {
            throw problem  // from a streamed request body (a multipart upload too large or malformed)
        } catch {
            throw Problem(.serviceUnavailable, "gateway.service-unavailable",
                          "the \(service) service did not answer (\(error)); try again shortly", retryAfter: 5)
        }
    }

    /// Sends a request and answers with the service's response, streamed; an error answer
    /// becomes a problem document with the service's code.
    func forward(_ service: String, _ method: HTTPMethod, _ path: String, query: String? = nil, body: ByteBuffer? = nil,
                 actor: String? = nil) async throws -> Response {
        var request = try request(service, method, path, query: query, actor: actor)
        if let body {
            request.body = .bytes(body)
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await execute(request, service)
        if response.status.code >= 400 { throw try await problem(response, service) }
        var headers = HTTPFields()
        for name in ["Content-Type", "Content-Disposition", "ETag"] {
            if let value = response.headers.first(name: name), let field = HTTPField.Name(name) { headers[field] = value }
        }
        let status = HTTPResponse.Status(code: Int(response.status.code))
        guard let length = response.headers.first(name: "Content-Length").flatMap(Int.init) else {
            return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: response.body))
        }
        let body = response.body
        return Response(status: status, headers: headers, body: ResponseBody(contentLength: length) { writer in
            for try await buffer in body { try await writer.write(buffer) }
            try await writer.finish(nil)
        })
    }

    /// Sends a request and decodes the JSON answer.
    func json<T: Decodable>(_ type: T.Type, _ service: String, _ method: HTTPMethod = .GET, _ path: String,
                            query: String? = nil, body: (any Encodable)? = nil, rawBody: ByteBuffer? = nil,
                            actor: String? = nil) async throws -> T {
        var request = try request(service, method, path, query: query, actor: actor)
        if let bytes = try rawBody ?? body.map({ ByteBuffer(bytes: try JSONCoding.encoder().encode($0)) }) {
            request.body = .bytes(bytes)
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await execute(request, service)
        if response.status.code >= 400 { throw try await problem(response, service) }
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return try JSONCoding.decoder().decode(T.self, from: Data(bytes.readableBytesView))
    }

    /// Streams `body` to ingest's `POST /uploads` and returns its receipt.
    func upload<Body: AsyncSequence & Sendable>(_ body: Body, filename: String?) async throws -> UploadReceipt
        where Body.Element == ByteBuffer {
        let name = filename.flatMap { $0.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) }
        var request = try request("ingest", .POST, "/uploads", query: name.map { "filename=" + $0 }, actor: nil)
        request.body = .stream(body, length: .unknown)
        request.headers.add(name: "Content-Type", value: "application/octet-stream")
        let response = try await execute(request, "ingest", timeout: .hours(2))
        if response.status.code >= 400 { throw try await problem(response, "ingest") }
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return try JSONCoding.decoder().decode(UploadReceipt.self, from: Data(bytes.readableBytesView))
    }

    private func problem(_ response: HTTPClientResponse, _ service: String) async throws -> Problem {
        let status = HTTPResponse.Status(code: Int(response.status.code))
        let bytes = (try? await response.body.collect(upTo: 1 << 20)).map { Data($0.readableBytesView) } ?? Data()
        if let error = try? JSONCoding.decoder().decode(InternalError.self, from: bytes) {
            return Problem(status.code >= 500 ? .badGateway : status, error.error.code, error.error.message)
        }
        if status.code >= 500 {
            return Problem(.badGateway, "gateway.service-failed", "the \(service) service failed (\(status.code))")
        }
        let text = String(decoding: bytes.prefix(500), as: UTF8.self)
        return Problem(status, "\(service).request-refused", text.isEmpty ? status.reasonPhrase : text)
    }
}
