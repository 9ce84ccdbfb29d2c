import APIModels
import Contracts
import Hosting
import Hummingbird
import ObjectStorage
import PostgresNIO
import Runtime

/// `GET /jobs/:id/artifacts` lists a job's artifacts; `GET /jobs/:id/artifacts/:name`
/// downloads one.
enum ArtifactRoutes {
    static func add(to router: Router<SluiceRequestContext>, runtime: RuntimeContext) {
        router.get("jobs/:id/artifacts") { _, context in
            let id = try context.parameters.require("id")
            return HTTPResponses.json(ArtifactList(jobId: id, artifacts: try await ArtifactQueries(runtime: runtime).list(jobId: id)))
        }
        router.get("jobs/:id/artifacts/:name") { _, context in
            let id = try context.parameters.require("id")
            let name = try context.parameters.require("name")
            let queries = ArtifactQueries(runtime: runtime)
            guard let artifact = try await queries.find(jobId: id, name: name) else {
                return HTTPResponses.error(.notFound, "publish.artifact-not-found", "job \(id) has no artifact \(name)")
            }
            // Streamed piece by piece: a large artifact is never loaded whole.
            let headers: HTTPFields = [.contentType: artifact.contentType,
                                       .contentDisposition: "attachment; filename=\"\(name)\""]
            guard let key = artifact.objectKey else {
                // Published before artifacts moved to the object store: its bytes are in parts.
                return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: artifact.bytes) { writer in
                    try await queries.forEachPart(jobId: id, name: name, parts: artifact.parts) { part in
                        try await writer.write(part)
                    }
                    try await writer.finish(nil)
                })
            }
            let objectKey = try ObjectKey(key)
            guard try await runtime.objects.size(objectKey) != nil else {
                return HTTPResponses.error(.notFound, "publish.artifact-missing",
                                           "the object \(key) of artifact \(name) is missing from \(runtime.objects.location)")
            }
            return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: artifact.bytes) { writer in
                var offset = 0
                while offset < artifact.bytes {
                    let piece = try await runtime.objects.get(objectKey, range: offset..<min(artifact.bytes, offset + (1 << 20)))
                    guard !piece.isEmpty else { break }
                    try await writer.write(ByteBuffer(bytes: piece))
                    offset += piece.count
                }
                try await writer.finish(nil)
            })
        }
    }
}

/// Read-only artifact queries (outside handler transactions).
struct ArtifactQueries {
    let runtime: RuntimeContext

    func list(jobId: String) async throws -> [ArtifactRef] {
        let rows = try await runtime.database.query("""
            SELECT name, content_type, bytes, sha256 FROM artifacts WHERE job_id = \(jobId) ORDER BY name
            """, logger: runtime.logger)
        var result: [ArtifactRef] = []
        for try await (name, type, bytes, sha) in rows.decode((String, String, Int, String).self) {
            result.append(ArtifactRef(name: name, contentType: type, bytes: bytes, sha256: sha))
        }
        return result
    }

    func find(jobId: String, name: String) async throws -> (contentType: String, bytes: Int, parts: Int, objectKey: String?)? {
        let rows = try await runtime.database.query("""
            SELECT content_type, bytes, parts, object_key FROM artifacts WHERE job_id = \(jobId) AND name = \(name)
            """, logger: runtime.logger)
        for try await row in rows.decode((String, Int, Int, String?).self) { return row }
        return nil
    }

    /// Calls `body` with each stored part in order, one query per part.
    func forEachPart(jobId: String, name: String, parts: Int, _ body: (ByteBuffer) async throws -> Void) async throws {
        for part in 0..<parts {
            let rows = try await runtime.database.query("""
                SELECT content FROM artifact_parts WHERE job_id = \(jobId) AND name = \(name) AND part = \(part)
                """, logger: runtime.logger)
            for try await content in rows.decode(ByteBuffer.self) { try await body(content) }
        }
    }
}
