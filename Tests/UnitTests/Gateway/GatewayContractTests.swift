import Foundation
@testable import GatewayService
import Testing

/// The OpenAPI document (docs/openapi.json) against the routes the gateway registers: the same
/// operations, methods, paths, permissions, parameters and the error answers every operation
/// can give. Routes are registered from `OperationTable` only, so a route the document does
/// not describe cannot exist; schemathesis checks the bodies against the live gateway.
@Suite("Gateway contract (OpenAPI document)")
struct GatewayContractTests {
    typealias Object = [String: Any]

    static func document() throws -> Object {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../docs/openapi.json")
        let object = try JSONSerialization.jsonObject(with: try Data(contentsOf: url.standardizedFileURL))
        return try #require(object as? Object)
    }

    /// Every operation of the document: method, path, the operation and its parameters
    /// (path-level ones included, `$ref`s resolved).
    static func operations(_ document: Object) throws -> [(method: String, path: String, op: Object, params: [Object])] {
        let paths = try #require(document["paths"] as? [String: Object])
        let shared = ((document["components"] as? Object)?["parameters"] as? [String: Object]) ?? [:]
        func resolve(_ list: Any?) -> [Object] {
            ((list as? [Object]) ?? []).map { parameter in
                (parameter["$ref"] as? String).flatMap { shared[String($0.split(separator: "/").last!)] } ?? parameter
            }
        }
        var result: [(String, String, Object, [Object])] = []
        for (path, item) in paths {
            for (method, value) in item where method != "parameters" {
                let op = try #require(value as? Object)
                result.append((method.uppercased(), path, op, resolve(item["parameters"]) + resolve(op["parameters"])))
            }
        }
        return result
    }

    @Test("is OpenAPI 3.1, served at /api/v1/openapi.json, with bearer authentication")
    func header() throws {
        let document = try Self.document()
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let schemes = ((document["components"] as? Object)?["securitySchemes"] as? Object) ?? [:]
        #expect((schemes["bearerAuth"] as? Object)?["scheme"] as? String == "bearer")
    }

    @Test("has exactly the operations the gateway routes, with their permissions and scope")
    func operationsMatch() throws {
        let documented = try Self.operations(try Self.document())
        let table = Dictionary(uniqueKeysWithValues: OperationTable.all.map { ("\($0.method.rawValue) \($0.path)", $0) })
        #expect(Set(documented.map { "\($0.method) \($0.path)" }) == Set(table.keys))
        for (method, path, op, _) in documented {
            guard let operation = table["\(method) \(path)"] else { continue }
            #expect(op["operationId"] as? String == operation.id, "\(method) \(path)")
            #expect(op["x-sluice-permission"] as? String == operation.permission.rawValue, "\(operation.id)")
            #expect((op["x-sluice-scoped"] as? Bool ?? false) == operation.scoped, "\(operation.id)")
        }
    }

    @Test("declares every path and query parameter the routes take, and no other")
    func parametersMatch() throws {
        let table = Dictionary(uniqueKeysWithValues: OperationTable.all.map { ($0.id, $0) })
        for (_, path, op, params) in try Self.operations(try Self.document()) {
            let id = op["operationId"] as? String ?? ""
            guard let operation = table[id] else { continue }
            let inPath = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            #expect(Set(params.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }) == inPath, "\(id)")
            #expect(params.filter { $0["in"] as? String == "path" }.allSatisfy { $0["required"] as? Bool == true }, "\(id)")
            #expect(Set(params.filter { $0["in"] as? String == "query" }.compactMap { $0["name"] as? String }) == operation.query,
                    "\(id)")
        }
    }

    @Test("documents the error answers each operation can give, as problem documents")
    func responsesMatch() throws {
        let document = try Self.document()
        let shared = ((document["components"] as? Object)?["responses"] as? [String: Object]) ?? [:]
        let table = Dictionary(uniqueKeysWithValues: OperationTable.all.map { ($0.id, $0) })
        for (_, path, op, _) in try Self.operations(document) {
            let id = op["operationId"] as? String ?? ""
            guard let operation = table[id] else { continue }
            let responses = try #require(op["responses"] as? Object, "\(id)")
            let codes = Set(responses.keys)
            #expect(codes.contains { $0.hasPrefix("2") }, "\(id) has a success answer")
            if operation.permission == .public {
                #expect((op["security"] as? [Any])?.isEmpty == true, "\(id) is public")
            } else {
                #expect(codes.contains("401"), "\(id): 401")
                #expect(op["security"] == nil, "\(id) takes the document's bearer security")
            }
            if operation.permission.roles.count < Role.allCases.count { #expect(codes.contains("403"), "\(id): 403") }
            if operation.scoped || path.contains("{") { #expect(codes.contains("404"), "\(id): 404") }
            // Any operation refuses an unknown query parameter.
            #expect(codes.contains("400"), "\(id): 400")
            for code in codes where code.hasPrefix("4") || code.hasPrefix("5") {
                var response = responses[code] as? Object ?? [:]
                if let ref = response["$ref"] as? String { response = shared[String(ref.split(separator: "/").last!)] ?? [:] }
                let content = response["content"] as? Object ?? [:]
                #expect(content["application/problem+json"] != nil, "\(id) \(code) is a problem document")
            }
        }
    }
}
