import Contracts
import Crypto
import Foundation
import ObjectStorage

/// The claim-check side of the object store: stages write their output here once, under a
/// deterministic key, and pass a ``ChunkRef`` on; the next stage reads it back and checks
/// its SHA-256.
///
/// Failures become `SluiceError`s the dispatcher already knows how to treat: an unreachable
/// or full store is transient (retried), a missing object or a checksum mismatch permanent
/// (dead-lettered, one incident naming the key; a re-drive works once the object is back).
///
/// A chunk of at most ``inlineLimit`` bytes is not stored: its reference carries it
/// (``ChunkRef/inline``). A tiny job then writes no chunk file, and pays no `fsync`, at any
/// stage; a redelivery still produces the same reference, the reader the same checks.
public struct ChunkStore: Sendable {
    /// The store the chunks live in.
    public let objects: any ObjectStore
    /// The largest chunk carried in its reference (`chunks.inline.bytes`); 0 stores every one.
    public let inlineLimit: Int

    /// A chunk store over `objects`, carrying chunks of at most `inlineLimit` bytes inline.
    public init(objects: any ObjectStore, inlineLimit: Int = 0) {
        self.objects = objects
        self.inlineLimit = inlineLimit
    }

    /// The default `chunks.inline.bytes`: a few rows, well under the size a message should be.
    public static let defaultInlineLimit = 4096

    /// The stages whose output is stored.
    public enum Stage: String, Sendable, CaseIterable {
        case ingested, validated, transformed
        /// The record errors a stage found.
        case validateErrors = "validated-errors", transformErrors = "transformed-errors"
        /// Every input row's unique-key fingerprints, valid or not.
        case keys = "validated-keys"
    }

    /// `jobs/<job>/<stage>/<index, 6 digits>.arrows`.
    public static func key(jobId: String, stage: Stage, index: Int) -> String {
        let digits = String(index)
        return "\(jobPrefix(jobId))\(stage.rawValue)/\(String(repeating: "0", count: max(0, 6 - digits.count)))\(digits).arrows"
    }

    /// `jobs/<job>/`: every object of a job is under it. A job id that is not a safe key
    /// segment is replaced by a digest of it (still one job, one prefix).
    public static func jobPrefix(_ jobId: String) -> String {
        let safe = !jobId.hasPrefix(".") && !jobId.contains("/") && ObjectKey.isValid(jobId) && jobId.utf8.count <= 200
        return "jobs/\(safe ? jobId : "h-" + MessageID.hash(jobId))/"
    }

    /// Writes `bytes` under `key` (durably) and returns its reference; the store's own
    /// faults become `SluiceError`s (see ``fault(_:)``).
    public func write(_ bytes: [UInt8], key: String, rows: Int) async throws -> ChunkRef {
        let objectKey = try Self.objectKey(key)
        let digest = Self.sha256(bytes)
        if bytes.count <= inlineLimit {
            return ChunkRef(key: key, sha256: digest, bytes: bytes.count, rows: rows, inline: Data(bytes).base64EncodedString())
        }
        do {
            try await objects.put(objectKey, bytes: bytes)
        } catch {
            throw Self.fault(error)
        }
        return ChunkRef(key: key, sha256: digest, bytes: bytes.count, rows: rows)
    }

    /// Reads the object `ref` names and checks it is the one that was written.
    public func read(_ ref: ChunkRef) async throws -> [UInt8] {
        let bytes: [UInt8]
        if let inline = ref.inline {
            guard let data = Data(base64Encoded: inline) else {
                throw SluiceError.permanent("chunk.unreadable", "the inline chunk \(ref.key) is not valid base64")
            }
            bytes = Array(data)
            objects.sawInline(bytes)
        } else {
            do {
                bytes = try await objects.get(try Self.objectKey(ref.key))
            } catch {
                throw Self.fault(error)
            }
        }
        let digest = Self.sha256(bytes)
        guard digest == ref.sha256, bytes.count == ref.bytes else {
            let what = ref.inline == nil ? "the object \(ref.key) in \(objects.location)" : "the inline chunk \(ref.key)"
            let fix = ref.inline == nil ? "restore it (or re-run the job), then re-drive" : "the message was altered; re-run the job"
            throw SluiceError.permanent("chunk.checksum-mismatch", """
                \(what) is not the one that was written: \(bytes.count) bytes with SHA-256 \(digest), expected \(ref.bytes) \
                bytes with \(ref.sha256); \(fix)
                """)
        }
        return bytes
    }

    /// Deletes every object of a job; returns how many.
    @discardableResult
    public func deleteJob(_ jobId: String) async throws -> Int {
        do {
            return try await objects.delete(prefix: Self.jobPrefix(jobId))
        } catch {
            throw Self.fault(error)
        }
    }

    static func objectKey(_ key: String) throws -> ObjectKey {
        do {
            return try ObjectKey(key)
        } catch {
            throw SluiceError.permanent("chunk.invalid-key", error.description)
        }
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The object store's failure as the dispatcher's: transient when retrying can help.
    public static func fault(_ error: any Error) -> any Error {
        guard let error = error as? ObjectStoreError else { return error }
        let code = error.kind == .notFound ? "chunk.missing" : error.code
        let message = error.kind == .notFound
            ? "the object \(error.key ?? "?") is missing from the store (\(error.message)); restore it (or re-run the job), then re-drive"
            : error.description
        return error.isTransient ? SluiceError.transient(code, message) : SluiceError.permanent(code, message)
    }
}
