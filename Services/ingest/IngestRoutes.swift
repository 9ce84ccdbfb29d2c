import APIModels
import Contracts
import Foundation
import Hosting
import Hummingbird
import Runtime

/// Ingest's HTTP API: jobs, uploads, stored inputs and re-runs by tag.
enum IngestRoutes {
    static func add(to router: Router<SluiceRequestContext>, runtime: RuntimeContext, settings: IngestSettings) {
        let repository = IngestRepository(runtime: runtime)
        let store = InputStore(runtime: runtime)
        router.get("jobs") { request, _ in
            let tags = try tagFilter(request.uri.queryParameters.getAll("tag"))
            let limit = min(request.uri.queryParameters.get("limit", as: Int.self) ?? 100, 1000)
            return HTTPResponses.json(try await repository.list(tags: tags, limit: limit))
        }
        router.get("jobs/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let job = try await repository.find(jobId: id) else {
                return HTTPResponses.error(.notFound, "ingest.job-not-found", "no job \(id)")
            }
            return HTTPResponses.json(job)
        }
        // The stored input, streamed part by part (never loaded whole).
        router.get("jobs/:id/source") { _, context in
            let id = try context.parameters.require("id")
            guard let input = try await store.input(ofJob: id) else {
                return HTTPResponses.error(.notFound, "ingest.input-not-found", "job \(id) has no stored input")
            }
            let name = (input.filename ?? "\(id)-input").replacingOccurrences(of: "\"", with: "")
            return Response(status: .ok, headers: [.contentType: "application/octet-stream",
                                                   .contentDisposition: "attachment; filename=\"\(name)\""],
                            body: ResponseBody(contentLength: input.bytes) { writer in
                                try await store.forEachBlock(input) { block in
                                    try await writer.write(ByteBuffer(bytes: block))
                                }
                                try await writer.finish(nil)
                            })
        }
        // Uploads stream to the input store in 1 MiB parts; the size cap is enforced while reading.
        router.post("uploads") { request, _ in
            let filename = request.uri.queryParameters.get("filename").map { ($0 as NSString).lastPathComponent }
            do {
                let input = try await store.store(filename: filename, origin: "upload", maxBytes: settings.maxUploadBytes) { sink in
                    for try await buffer in request.body { try await sink(Array(buffer.readableBytesView)) }
                }
                return HTTPResponses.json(UploadReceipt(uploadId: input.inputId, filename: input.filename,
                                                        bytes: input.bytes, sha256: input.sha256), status: .created)
            } catch let error as SluiceError where error.code == "ingest.too-large" {
                return HTTPResponses.error(.contentTooLarge, "ingest.upload-too-large",
                    "the upload is larger than the \(settings.maxUploadBytes)-byte limit (ingest.upload.max.bytes)")
            }
        }
        router.post("reruns") { request, context in
            let body = try await request.decode(as: RerunRequest.self, context: context)
            guard !body.tags.isEmpty else {
                return HTTPResponses.error(.badRequest, "ingest.rerun-needs-tags",
                                           "give at least one tag to select datasets, e.g. {\"tags\": {\"category\": \"science\"}}")
            }
            let stages = body.stages ?? .analysisOnly
            guard stages == .analysisOnly || stages == .publishOnly else {
                return HTTPResponses.error(.badRequest, "ingest.rerun-stages", "a re-run is analysis-only or publish-only")
            }
            return HTTPResponses.json(try await repository.rerun(tags: body.tags, stages: stages), status: .accepted)
        }
    }

    static func tagFilter(_ values: [String]) throws -> [String: String] {
        var tags: [String: String] = [:]
        for value in values {
            let parts = value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw HTTPError(.badRequest, message: "tag filters look like tag=key=value, got '\(value)'")
            }
            tags[parts[0]] = parts[1]
        }
        return tags
    }
}

/// `POST /reruns`: run the latest job of every dataset whose tags include `tags` again.
struct RerunRequest: Codable, Sendable {
    var tags: [String: String]
    var stages: JobOptions.Stages?
}

/// The jobs a re-run submitted.
struct RerunReceipt: Codable, Sendable {
    var submitted: [Rerun]
    struct Rerun: Codable, Sendable { var jobId: String; var fromJob: String; var name: String }
}
