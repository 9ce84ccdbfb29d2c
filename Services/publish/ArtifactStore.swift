import Chunks
import Contracts
import Crypto
import Foundation
import Logging
import ObjectStorage
import PostgresNIO

/// Writes one artifact to a spool file beside the object store, hashing as it goes; finished,
/// it is a ``PendingArtifact`` that ``ArtifactBatch`` moves into the store and records in the
/// publishing transaction: an artifact of any size is never held whole in memory, and the
/// database keeps only its metadata.
///
/// The key holds the content's hash (`jobs/<job>/artifacts/<sha256, 16 hex>/<name>`): an
/// attempt abandoned after a timeout whose upload lands late writes its own key and can
/// never replace the bytes the committed row names.
struct ArtifactWriter {
    let jobId: String
    let name: String
    let contentType: String
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private(set) var bytes = 0
    static let partSize = 1 << 20

    /// A writer spooling to a new file in `spool`.
    init(jobId: String, name: String, contentType: String, spool: String) throws {
        self.jobId = jobId
        self.name = name
        self.contentType = contentType
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        path = spool + "/artifact-\(MessageID.random())"
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw SluiceError.transient("store.unavailable", "cannot create a spool file in \(spool)")
        }
        self.handle = handle
        buffer.reserveCapacity(Self.partSize)
    }

    /// Appends bytes, writing full pieces as they fill.
    mutating func write(_ data: some Collection<UInt8>) throws {
        buffer.append(contentsOf: data)
        if buffer.count >= Self.partSize { try flush() }
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        hasher.update(data: buffer)
        bytes += buffer.count
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw SluiceError.transient("store.unavailable", "cannot write the spool file of \(name): \(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Closes the spool file: the artifact, hashed and keyed, ready for ``ArtifactBatch``
    /// (whose put syncs the file, so it is not synced here as well).
    mutating func finish() throws -> PendingArtifact {
        try flush()
        try? handle.close()
        let sha = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return PendingArtifact(ref: ArtifactRef(name: name, contentType: contentType, bytes: bytes, sha256: sha),
                               key: try Self.key(jobId: jobId, name: name, sha256: sha), content: .file(path))
    }

    /// A file another writer produced (the XLSX workbook), hashed where it is: it is moved
    /// into the store, never copied to a second spool file.
    static func pendingFile(_ path: String, jobId: String, name: String, contentType: String) throws -> PendingArtifact {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SluiceError.transient("store.unavailable", "the spooled \(name) is missing")
        }
        var hasher = SHA256()
        var bytes = 0
        do {
            defer { try? handle.close() }
            while let data = try handle.read(upToCount: partSize), !data.isEmpty {
                hasher.update(data: data)
                bytes += data.count
            }
        }
        let sha = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return PendingArtifact(ref: ArtifactRef(name: name, contentType: contentType, bytes: bytes, sha256: sha),
                               key: try key(jobId: jobId, name: name, sha256: sha), content: .file(path))
    }

    /// Gives up: the spool file is removed.
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    /// An artifact built in memory; one over ``spoolAbove`` bytes is written to a spool file
    /// in `spool` at once, so a job's reports are not all held in memory until they are stored.
    static func pending(_ content: [UInt8], jobId: String, name: String, contentType: String,
                        spool: String) throws -> PendingArtifact {
        let sha = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
        let ref = ArtifactRef(name: name, contentType: contentType, bytes: content.count, sha256: sha)
        let key = try key(jobId: jobId, name: name, sha256: sha)
        guard content.count > spoolAbove else { return PendingArtifact(ref: ref, key: key, content: .memory(content)) }
        var writer = try ArtifactWriter(jobId: jobId, name: name, contentType: contentType, spool: spool)
        do {
            try writer.write(content)
            _ = try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        return PendingArtifact(ref: ref, key: key, content: .file(writer.path))
    }

    /// Reports larger than this wait in a spool file rather than in memory.
    static let spoolAbove = 1 << 20

    /// `jobs/<job>/artifacts/<sha256, 16 hex>/<name>`.
    static func key(jobId: String, name: String, sha256: String) throws -> ObjectKey {
        do {
            return try ObjectKey(ChunkStore.jobPrefix(jobId) + "artifacts/" + sha256.prefix(16) + "/" + name)
        } catch {
            throw SluiceError.permanent("publish.invalid-artifact-name", "\(name) cannot name an artifact: \(error.message)")
        }
    }
}
