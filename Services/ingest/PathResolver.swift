import Contracts
import Foundation

/// Where a `path` source may be read from: it must resolve, symlinks followed, to a file
/// inside one of ingest's configured roots.
enum PathResolver {
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
}
