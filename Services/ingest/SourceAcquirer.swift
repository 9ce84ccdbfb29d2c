import Contracts
import Foundation
import ObjectStorage
import Outbound

/// Brings a job's source into ingest's input store, whatever its kind: inline content, a
/// file under the configured roots, an earlier upload, a URL (fetched with SSRF
/// protections), an object of an S3-compatible service (`s3://bucket/key`), or an earlier
/// job's stored input.
struct SourceAcquirer {
    let settings: IngestSettings
    let store: InputStore

    /// What a source turned into.
    struct Acquired {
        var input: StoredInput
        /// Whether the tap saw every byte; `false` for uploads and earlier jobs' inputs,
        /// which were stored before and are read from the store.
        var tapped: Bool
    }

    /// The source's file name, when it has one (format detection uses its extension).
    static func filename(of source: JobSubmit.Source) -> String? {
        switch source.kind {
        case .path: return source.path.map { ($0 as NSString).lastPathComponent }
        case .url:
            let name = source.url.flatMap { URL(string: $0)?.lastPathComponent } ?? ""
            return name.isEmpty || name == "/" ? nil : name
        default: return nil
        }
    }

    /// Stores the source, handing each block to `tap` as it is stored.
    func acquire(_ source: JobSubmit.Source, tap: (([UInt8]) async throws -> Void)? = nil) async throws -> Acquired {
        let filename = Self.filename(of: source)
        switch source.kind {
        case .inline:
            guard let content = source.content else {
                throw SluiceError.permanent("ingest.source-missing", "an inline source needs 'content'")
            }
            let input = try await store.store(filename: nil, maxBytes: settings.maxSourceBytes, { sink in
                try await sink(Array(content.utf8))
            }, tap: tap)
            return Acquired(input: input, tapped: true)
        case .path:
            guard let path = source.path, !path.isEmpty else {
                throw SluiceError.permanent("ingest.source-missing", "a path source needs 'path'")
            }
            let resolved = try PathResolver.resolve(path, roots: settings.roots)
            return Acquired(input: try await storeFile(at: resolved, filename: filename, tap: tap), tapped: true)
        case .upload:
            guard let id = source.uploadId, !id.isEmpty else {
                throw SluiceError.permanent("ingest.source-missing", "an upload source needs 'uploadId'")
            }
            guard let input = try await store.input(ofUpload: id) else {
                throw SluiceError.permanent("ingest.upload-not-found",
                                            "no completed upload \(id); upload the file with POST /uploads first")
            }
            return Acquired(input: input, tapped: false)
        case .url:
            guard let url = source.url, !url.isEmpty else {
                throw SluiceError.permanent("ingest.source-missing", "a url source needs 'url'")
            }
            if url.lowercased().hasPrefix("s3://") {
                return Acquired(input: try await readS3(url, filename: filename, tap: tap), tapped: true)
            }
            return Acquired(input: try await fetch(url, filename: filename, tap: tap), tapped: true)
        case .job:
            guard let jobId = source.jobId, !jobId.isEmpty else {
                throw SluiceError.permanent("ingest.source-missing", "a job source needs 'jobId'")
            }
            guard let input = try await store.input(ofJob: jobId) else {
                throw SluiceError.permanent("ingest.input-not-found",
                                            "job \(jobId) has no stored input to analyse again (unknown job, or it failed before reading its source)")
            }
            return Acquired(input: input, tapped: false)
        }
    }

    private func storeFile(at path: String, filename: String?, tap: (([UInt8]) async throws -> Void)?) async throws -> StoredInput {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SluiceError.permanent("ingest.file-unreadable", "cannot open \(path) for reading")
        }
        defer { try? handle.close() }
        // Refused before a byte is parsed: a too-large source must not start a job downstream.
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > settings.maxSourceBytes {
            throw InputStore.tooLarge(settings.maxSourceBytes)
        }
        return try await store.store(filename: filename, maxBytes: settings.maxSourceBytes, { sink in
            while let data = try handle.read(upToCount: InputStore.partSize), !data.isEmpty {
                try await sink([UInt8](data))
            }
        }, tap: tap)
    }

    private func fetch(_ url: String, filename: String?, tap: (([UInt8]) async throws -> Void)?) async throws -> StoredInput {
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-fetch-\(MessageID.random())").path
        defer { try? FileManager.default.removeItem(atPath: temp) }
        do {
            _ = try await SafeFetcher.fetch(url, to: temp, policy: settings.fetchPolicy, limits: settings.fetchLimits)
        } catch let error as OutboundError {
            throw SluiceError(error.code == "fetch.too-large" ? "ingest.too-large" : "ingest.\(error.code)",
                              error.message, error.transient ? .transient : .permanent)
        }
        return try await storeFile(at: temp, filename: filename, tap: tap)
    }

    /// Reads `s3://bucket/key` from the S3-compatible service of `storage.s3.*` in 8 MiB ranges.
    private func readS3(_ url: String, filename: String?, tap: (([UInt8]) async throws -> Void)?) async throws -> StoredInput {
        let path = url.dropFirst("s3://".count)
        guard let slash = path.firstIndex(of: "/"), slash != path.startIndex, path.index(after: slash) != path.endIndex else {
            throw SluiceError.permanent("ingest.invalid-s3-url", "'\(url)' is not an S3 source; write s3://bucket/key")
        }
        var config = settings.s3
        config.bucket = String(path[..<slash])
        let source = S3ObjectStore(config: config)
        let key: ObjectKey
        do { key = try ObjectKey(String(path[path.index(after: slash)...])) } catch {
            throw SluiceError.permanent("ingest.invalid-s3-url", "'\(url)': \(error.message)")
        }
        let found = try await Self.s3(url) { () async throws(ObjectStoreError) in try await source.size(key) }
        guard let size = found else {
            throw SluiceError.permanent("ingest.s3-not-found", "there is no object \(url) at \(config.endpoint)")
        }
        if size > settings.maxSourceBytes { throw InputStore.tooLarge(settings.maxSourceBytes) }
        return try await store.store(filename: filename, maxBytes: settings.maxSourceBytes, { sink in
            var offset = 0
            while offset < size {
                let range = offset..<min(offset + 8 << 20, size)
                let block = try await Self.s3(url) { () async throws(ObjectStoreError) in try await source.get(key, range: range) }
                guard !block.isEmpty else {
                    throw SluiceError.transient("ingest.s3-changed", "\(url) ended at byte \(offset) of \(size) while being read")
                }
                try await sink(block)
                offset += block.count
            }
        }, tap: tap)
    }

    /// Runs an S3 call, naming the source in its errors: a missing or forbidden object is
    /// permanent (fix the URL or the grant, then re-drive), an unreachable service transient.
    private static func s3<T>(_ url: String, _ call: () async throws(ObjectStoreError) -> T) async throws -> T {
        do {
            return try await call()
        } catch {
            switch error.kind {
            case .notFound: throw SluiceError.permanent("ingest.s3-not-found", "there is no object \(url)")
            case .denied: throw SluiceError.permanent("ingest.s3-denied", "reading \(url) was refused: \(error.message)")
            case .invalidKey: throw SluiceError.permanent("ingest.invalid-s3-url", "'\(url)': \(error.message)")
            case .unavailable, .full: throw SluiceError.transient("ingest.s3-unavailable", "cannot read \(url): \(error.message)")
            }
        }
    }
}
