import Contracts
import Foundation

/// Yields a job's source bytes in blocks, so a large file is never held whole in memory.
/// A `path` source must resolve, symlinks followed, to a file inside a configured root.
struct SourceReader {
    private let handle: FileHandle?
    private var inline: [UInt8]?
    private let maxBytes: Int
    private var readSoFar = 0
    static let blockSize = 1 << 20

    init(_ source: JobSubmit.Source, settings: IngestSettings) throws {
        maxBytes = settings.maxSourceBytes
        switch source.kind {
        case .inline:
            guard let content = source.content else {
                throw SluiceError.permanent("ingest.source-missing", "an inline source needs 'content'")
            }
            inline = Array(content.utf8)
            handle = nil
        case .path:
            guard let path = source.path, !path.isEmpty else {
                throw SluiceError.permanent("ingest.source-missing", "a path source needs 'path'")
            }
            let resolved = try Self.resolve(path, roots: settings.roots)
            guard let handle = FileHandle(forReadingAtPath: resolved) else {
                throw SluiceError.permanent("ingest.file-unreadable", "cannot open \(path) for reading")
            }
            self.handle = handle
        }
    }

    /// Resolves `path` against the roots; refuses traversal and symlink escapes.
    static func resolve(_ path: String, roots: [String]) throws -> String {
        let candidates = path.hasPrefix("/") ? [path] : roots.map { ($0 as NSString).appendingPathComponent(path) }
        for candidate in candidates {
            guard let real = realpath(candidate, nil) else { continue }
            defer { free(real) }
            let resolved = String(cString: real)
            for root in roots {
                guard let realRoot = realpath(root, nil) else { continue }
                defer { free(realRoot) }
                let rootPath = String(cString: realRoot)
                if resolved.hasPrefix(rootPath == "/" ? "/" : rootPath + "/") {
                    var isDirectory: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
                        throw SluiceError.permanent("ingest.not-a-file", "\(path) is a directory, not a file")
                    }
                    return resolved
                }
            }
            throw SluiceError.permanent("ingest.path-outside-root",
                "\(path) resolves outside the configured ingest roots (\(roots.joined(separator: ", "))); "
                + "move the file under a root or add its directory to ingest.roots")
        }
        throw SluiceError.permanent("ingest.file-not-found",
            "\(path) does not exist under the ingest roots (\(roots.joined(separator: ", ")))")
    }

    /// The next block, or nil at the end.
    mutating func next() throws -> [UInt8]? {
        let block: [UInt8]?
        if let data = inline {
            inline = nil
            block = data.isEmpty ? nil : data
        } else if let handle {
            let data = try handle.read(upToCount: Self.blockSize) ?? Data()
            block = data.isEmpty ? nil : [UInt8](data)
        } else {
            block = nil
        }
        readSoFar += block?.count ?? 0
        if readSoFar > maxBytes {
            throw SluiceError.permanent("ingest.too-large",
                "the source is larger than the \(maxBytes)-byte limit (ingest.max.bytes); split it into several jobs")
        }
        return block
    }

    func close() { try? handle?.close() }
}
