import Contracts
import Foundation
import Outbound

/// Brings a job's source into ingest's input store, whatever its kind: inline content, a
/// file under the configured roots, an earlier upload, a URL (fetched with SSRF
/// protections), or an earlier job's stored input.
struct SourceAcquirer {
    let settings: IngestSettings
    let store: InputStore

    func acquire(_ source: JobSubmit.Source) async throws -> StoredInput {
        switch source.kind {
        case .inline:
            guard let content = source.content else {
                throw SluiceError.permanent("ingest.source-missing", "an inline source needs 'content'")
            }
            return try await store.store(filename: nil, maxBytes: settings.maxSourceBytes) { sink in
                try await sink(Array(content.utf8)[...])
            }
        case .path:
            guard let path = source.path, !path.isEmpty else {
                throw SluiceError.permanent("ingest.source-missing", "a path source needs 'path'")
            }
            let resolved = try PathResolver.resolve(path, roots: settings.roots)
            return try await storeFile(at: resolved, filename: (path as NSString).lastPathComponent)
        case .upload:
            guard let id = source.uploadId, !id.isEmpty else {
                throw SluiceError.permanent("ingest.source-missing", "an upload source needs 'uploadId'")
            }
            guard let input = try await store.input(ofUpload: id) else {
                throw SluiceError.permanent("ingest.upload-not-found",
                                            "no completed upload \(id); upload the file with POST /uploads first")
            }
            return input
        case .url:
            guard let url = source.url, !url.isEmpty else {
                throw SluiceError.permanent("ingest.source-missing", "a url source needs 'url'")
            }
            return try await fetch(url)
        case .job:
            guard let jobId = source.jobId, !jobId.isEmpty else {
                throw SluiceError.permanent("ingest.source-missing", "a job source needs 'jobId'")
            }
            guard let input = try await store.input(ofJob: jobId) else {
                throw SluiceError.permanent("ingest.input-not-found",
                                            "job \(jobId) has no stored input to analyse again (unknown job, or it failed before reading its source)")
            }
            return input
        }
    }

    private func storeFile(at path: String, filename: String?) async throws -> StoredInput {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SluiceError.permanent("ingest.file-unreadable", "cannot open \(path) for reading")
        }
        defer { try? handle.close() }
        return try await store.store(filename: filename, maxBytes: settings.maxSourceBytes) { sink in
            while let data = try handle.read(upToCount: InputStore.partSize), !data.isEmpty {
                try await sink([UInt8](data)[...])
            }
        }
    }

    private func fetch(_ url: String) async throws -> StoredInput {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-fetch-\(MessageID.random())").path
        defer { try? FileManager.default.removeItem(atPath: temp) }
        do {
            _ = try await SafeFetcher.fetch(url, to: temp, policy: settings.fetchPolicy, limits: settings.fetchLimits)
        } catch let error as OutboundError {
            throw SluiceError(error.code == "fetch.too-large" ? "ingest.too-large" : "ingest.\(error.code)",
                              error.message, error.transient ? .transient : .permanent)
        }
        let name = URL(string: url)?.lastPathComponent ?? ""
        return try await storeFile(at: temp, filename: name.isEmpty || name == "/" ? nil : name)
    }
}
