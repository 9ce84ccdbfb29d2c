import APIModels
import Contracts
import Foundation
import Outbound
@testable import TestSupport
import Testing

/// Every operation of the OpenAPI document against a live gateway: without credentials (401),
/// as a viewer on every mutating operation (403), as a member of another project on every
/// object route (404), and every role against docs/access.md's matrix, cell by cell. The
/// operations come from the document, so a new route is covered without editing this file.
@Suite("Gateway access (real RabbitMQ and PostgreSQL)")
struct GatewayAccessTests {
    typealias Object = [String: Any]

    struct Call {
        var id: String
        var method: String
        var path: String
        var permission: String
        var scoped: Bool
        var mutates: Bool { method != "GET" }
    }

    static func calls(world: GatewayWorld) throws -> [Call] {
        let url = TestEnvironment.packageRoot.appendingPathComponent("docs/openapi.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? Object)
        var result: [Call] = []
        for (template, item) in try #require(document["paths"] as? [String: Object]) {
            for (method, value) in item where method != "parameters" {
                let op = try #require(value as? Object)
                var path = template
                let values = ["job": world.alphaJob, "project": "alpha", "schedule": world.alphaSchedule, "user": "member-a",
                              "batch": world.alphaBatch,
                              "name": template.contains("/artifacts/") ? "output.csv" : "grades", "token": "tok_nope",
                              "incident": "inc-nope", "deadLetter": "dl-nope", "redrive": "rd-nope", "knownError": "ke-nope",
                              "dataset": "grades"]
                for (name, value) in values { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
                #expect(!path.contains("{"), "no value for a parameter of \(template)")
                result.append(Call(id: op["operationId"] as? String ?? "", method: method.uppercased(),
                                   path: String(path.dropFirst("/api/v1".count)),
                                   permission: op["x-sluice-permission"] as? String ?? "",
                                   scoped: op["x-sluice-scoped"] as? Bool ?? false))
            }
        }
        return result.sorted { $0.id < $1.id }
    }

    @Test("401 without credentials, 403 for viewers on mutations, 404 across projects, the role matrix; no secret leaks")
    func everyOperation() async throws {
        let world = try GatewayWorld()
        try await world.start(gatewayAsProcess: true)
        let pipeline = world.pipeline
        let calls = try Self.calls(world: world)
        #expect(calls.count >= 60)
        var bodies: [String] = []
        func send(_ call: Call, as user: String?) async throws -> Int {
            // Bodies name alpha, so operations whose object is in the body (a submission, a
            // schedule) are about alpha's objects too.
            let body = call.mutates ? Array(#"{"project": "alpha"}"#.utf8) : []
            let result = try await pipeline.gateway(call.method, call.path, token: user.map(world.token), body: body)
            bodies.append(String(decoding: result.body, as: UTF8.self))
            if result.status == 401 || result.status == 403 || result.status == 404 {
                let problem = try? JSONCoding.decoder().decode(ProblemBody.self, from: Data(result.body))
                #expect(problem?.status == result.status && problem?.code.isEmpty == false, "\(call.id): \(result.status) problem")
            }
            return result.status
        }

        // Without credentials, and with a token that is not one.
        for call in calls where call.permission != "public" {
            #expect(try await send(call, as: nil) == 401, "\(call.id) without credentials")
        }
        let forged = try await pipeline.gateway("GET", "/me", token: "slc_" + String(repeating: "A", count: 38))
        #expect(forged.status == 401)
        for call in calls where call.permission == "public" {
            #expect(try await send(call, as: nil) != 401, "\(call.id) is public")
        }
        // A viewer of alpha, on alpha's objects: every mutation but their own account's.
        for call in calls where call.mutates && !["public", "self"].contains(call.permission) {
            #expect(try await send(call, as: "viewer-a") == 403, "\(call.id) as a viewer")
        }
        // A member of beta, on alpha's objects: they do not exist for them.
        for call in calls where call.scoped {
            #expect(try await send(call, as: "member-b") == 404, "\(call.id) across projects")
        }
        for path in ["/jobs?project=alpha", "/schedules?project=alpha"] {
            #expect(try await pipeline.gateway("GET", path, token: world.token("member-b")).status == 404, "\(path)")
        }
        let seen = try await pipeline.gatewayJSON(GatewayJobPage.self, "GET", "/jobs", token: world.token("member-b"))
        #expect(!seen.items.contains { $0.project == "alpha" }, "a member lists only their projects' jobs")

        // The matrix, role by role (admin last: its allowed calls change things).
        let matrix = try AccessMatrix.read()
        for (user, role) in [("viewer-a", "viewer"), ("member-a", "member"), ("operator", "operator"), ("admin", "admin")] {
            for call in calls where call.id != "signOut" {
                let allowed = try #require(matrix[call.permission], "\(call.permission) is in docs/access.md").contains(role)
                let status = try await send(call, as: user)
                if allowed {
                    #expect(status != 401 && status != 403, "\(call.id) (\(call.permission)) is allowed for \(role): \(status)")
                } else {
                    #expect(status == 403, "\(call.id) (\(call.permission)) is forbidden for \(role): \(status)")
                }
            }
        }
        // Signing out ends that session at once.
        let signOut = try #require(calls.first { $0.id == "signOut" })
        #expect(try await send(signOut, as: "viewer-a") == 204)
        #expect(try await pipeline.gateway("GET", "/me", token: world.token("viewer-a")).status == 401)

        // No secret in any answer (but the one that hands it out) or in the gateway's log.
        let hashes = try await Self.passwordHashes(prefix: pipeline.prefix)
        #expect(hashes.count == 5)
        await world.gatewayProcess?.terminate()
        let log = world.gatewayProcess?.output ?? ""
        #expect(log.contains("listAudit") || log.contains("gateway"), "the log was captured")
        for secret in world.secrets + hashes {
            #expect(!log.contains(secret), "a secret is in the gateway's log")
            #expect(!bodies.contains { $0.contains(secret) }, "a secret is in an answer")
        }
        await world.stop()
    }

    /// The Argon2 hashes stored, to make sure none ever leaves the database.
    static func passwordHashes(prefix: String) async throws -> [String] {
        try await TestEnvironment.withDatabase(TestEnvironment.adminDatabase(schema: TestEnvironment.schema("gateway", prefix: prefix))) { db in
            var result: [String] = []
            for try await hash in try await db.query("SELECT password_hash FROM users WHERE password_hash IS NOT NULL")
                .decode(String.self) {
                result.append(hash)
            }
            return result
        }
    }
}

/// A problem document's fields the tests check.
struct ProblemBody: Decodable {
    var status: Int
    var code: String
    var detail: String
}

/// docs/access.md's role matrix: permission → roles granted.
enum AccessMatrix {
    static func read() throws -> [String: Set<String>] {
        let text = try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("docs/access.md"), encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## The role matrix").dropFirst().first)
        var result: [String: Set<String>] = [:]
        let roles = ["admin", "operator", "member", "viewer"]
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            result[cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] =
                Set(roles.enumerated().filter { cells[$0.offset + 1] == "yes" }.map(\.element))
        }
        return result
    }
}
