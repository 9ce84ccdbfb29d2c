import APIModels
import Catalog
import Contracts
import Foundation
import Outbound
import Testing

extension TestPipeline {
    /// The first admin of this pipeline's gateway (made as `sluice users bootstrap` does) and
    /// a session token for them.
    func adminToken(name: String = "admin", password: String = "admin password 1") async throws -> String {
        let config = try TestEnvironment.runtimeConfig("gateway", prefix: prefix, overrides: overrides)
        _ = try? await ServiceCatalog.bootstrapAdmin(config: config, name: name, email: "\(name)@example.org",
                                                     password: password, logger: TestEnvironment.logger)
        return try await signIn(name, password)
    }

    /// Signs in and returns the session token.
    func signIn(_ user: String, _ password: String) async throws -> String {
        let result = try await gateway("POST", "/auth/sign-in", token: nil, json: SignInRequest(user: user, password: password))
        guard result.status == 201 else {
            throw SluiceError.permanent("test.sign-in", "sign-in of \(user): \(result.status) \(String(decoding: result.body, as: UTF8.self))")
        }
        return try JSONCoding.decoder().decode(IssuedToken.self, from: Data(result.body)).token
    }

    /// A request to the gateway's `/api/v1` (`path` below it) with a bearer token.
    func gateway(_ method: String, _ path: String, token: String?, body: [UInt8] = [],
                 contentType: String = "application/json", headers: [String: String] = [:]) async throws -> HTTPResult {
        var all = headers
        if let token { all["Authorization"] = "Bearer " + token }
        if method != "GET" && body.isEmpty {
            // libcurl reads a POST body from standard input when given none.
            return try await Outbound.post(url: url("gateway", "/api/v1" + path), body: Array("{}".utf8), contentType: contentType,
                                           method: method, headers: all, timeout: .seconds(60), maxResponseBytes: 64 << 20)
        }
        return try await Outbound.post(url: url("gateway", "/api/v1" + path), body: body, contentType: contentType,
                                       method: method, headers: all, timeout: .seconds(60), maxResponseBytes: 64 << 20)
    }

    /// A JSON request to the gateway.
    func gateway(_ method: String, _ path: String, token: String?, json: some Encodable,
                 headers: [String: String] = [:]) async throws -> HTTPResult {
        try await gateway(method, path, token: token, body: try JSONCoding.encode(json), headers: headers)
    }

    /// A request that must succeed (2xx), decoded.
    func gatewayJSON<T: Decodable>(_ type: T.Type, _ method: String, _ path: String, token: String?,
                                   json: (any Encodable)? = nil) async throws -> T {
        let result = if let json { try await gateway(method, path, token: token, json: AnyEncodable(json)) } else {
            try await gateway(method, path, token: token)
        }
        guard (200..<300).contains(result.status) else {
            throw SluiceError.permanent("test.http", "\(method) \(path): \(result.status) \(String(decoding: result.body, as: UTF8.self))")
        }
        return try JSONCoding.decoder().decode(T.self, from: Data(result.body))
    }

    /// Arguments and environment that point the `sluice` CLI at this pipeline's gateway.
    func cliEnvironment(token: String) -> [String: String] {
        ["SLUICE_URL": url("gateway", ""), "SLUICE_TOKEN": token,
         "XDG_CONFIG_HOME": FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(prefix)").path]
    }
}

/// Wraps any encodable value (for helpers taking `any Encodable`).
struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
