import Contracts
import Hummingbird
import PostgresNIO
import ServiceRuntime

/// `GET /jobs/:id/artifacts` lists a job's artifacts; `GET /jobs/:id/artifacts/:name`
/// downloads one.
enum ArtifactRoutes {
    static func add(to router: Router<BasicRequestContext>, runtime: RuntimeContext) {
        router.get("jobs/:id/artifacts") { _, context in
            let id = try context.parameters.require("id")
            let list = try await ArtifactQueries(runtime: runtime).list(jobId: id)
            return HTTPResponses.json(["jobId": AnyCodable.string(id), "artifacts": .artifacts(list)])
        }
        router.get("jobs/:id/artifacts/:name") { _, context in
            let id = try context.parameters.require("id")
            let name = try context.parameters.require("name")
            guard let (type, content) = try await ArtifactQueries(runtime: runtime).content(jobId: id, name: name) else {
                return HTTPResponses.error(.notFound, "publish.artifact-not-found", "job \(id) has no artifact \(name)")
            }
            return Response(status: .ok, headers: [.contentType: type,
                                                   .contentDisposition: "attachment; filename=\"\(name)\""],
                            body: .init(byteBuffer: content))
        }
    }

    enum AnyCodable: Encodable {
        case string(String)
        case artifacts([ArtifactRef])
        func encode(to encoder: any Encoder) throws {
            switch self {
            case .string(let s): try s.encode(to: encoder)
            case .artifacts(let a): try a.encode(to: encoder)
            }
        }
    }
}

/// Read-only artifact queries (outside handler transactions).
struct ArtifactQueries {
    let runtime: RuntimeContext

    func list(jobId: String) async throws -> [ArtifactRef] {
        let rows = try await runtime.database.client.query("""
            SELECT name, content_type, bytes, sha256 FROM artifacts WHERE job_id = \(jobId) ORDER BY name
            """, logger: runtime.logger)
        var result: [ArtifactRef] = []
        for try await (name, type, bytes, sha) in rows.decode((String, String, Int, String).self) {
            result.append(ArtifactRef(name: name, contentType: type, bytes: bytes, sha256: sha))
        }
        return result
    }

    func content(jobId: String, name: String) async throws -> (String, ByteBuffer)? {
        let rows = try await runtime.database.client.query("""
            SELECT content_type, content FROM artifacts WHERE job_id = \(jobId) AND name = \(name)
            """, logger: runtime.logger)
        for try await row in rows.decode((String, ByteBuffer).self) { return row }
        return nil
    }
}
