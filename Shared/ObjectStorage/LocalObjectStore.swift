import Toolkit
import Glibc

/// The object store in a local directory: the default on one machine. A key is a relative
/// path under the root.
///
/// A `put` writes a hidden temporary file beside the target, `fsync`s it, renames it over
/// the target and `fsync`s the directory: the rename is atomic, so a reader (or a crash)
/// sees the old object or the new one, never a part. Temporary names start with `.`,
/// which no key segment may, so `list` never shows them; `sweepTemporaries` removes those a
/// crash left behind. All file work runs off Swift's cooperative threads.
public struct LocalObjectStore: ObjectStore {
    /// The directory holding the objects.
    public let root: String

    /// A store rooted at `root` (created on first write).
    public init(root: String) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    }

    public var location: String { "local:\(root)" }

    /// `<root>/.spool`: hidden (no key segment starts with `.`), on the same file system.
    public var spoolDirectory: String { root + "/.spool" }

    func path(_ key: ObjectKey) -> String { root + "/" + key.value }

    public func put(_ key: ObjectKey, bytes: [UInt8]) async throws(ObjectStoreError) {
        let target = path(key)
        try await Self.writing { () throws(ObjectStoreError) in
            try Self.makeParent(of: target, key: key)
            try Self.place(target, key: key) { temporary throws(ObjectStoreError) in
                try Self.writeFile(temporary, bytes: bytes, key: key)
            }
        }
    }

    public func put(_ key: ObjectKey, movingFile source: String) async throws(ObjectStoreError) {
        let target = path(key)
        try await Self.writing { () throws(ObjectStoreError) in
            try Self.makeParent(of: target, key: key)
            let fd = open(source, O_RDONLY)
            guard fd >= 0 else { throw Self.failure(errno, key: key, "cannot open \(source)") }
            let synced = fsync(fd)
            let syncErrno = errno
            close(fd)
            guard synced == 0 else { throw Self.failure(syncErrno, key: key, "cannot sync \(source)") }
            // Same file system: a rename; elsewhere: copy to a temporary beside the target.
            if rename(source, target) == 0 {
                try Self.syncDirectory(of: target, key: key)
                return
            }
            guard errno == EXDEV else { throw Self.failure(errno, key: key, "cannot move \(source) into the store") }
            try Self.place(target, key: key) { temporary throws(ObjectStoreError) in
                try Self.copyFile(source, to: temporary, key: key)
            }
            unlink(source)
        }
    }

    /// Runs a write off thread; a missing directory while writing means the store's root is
    /// gone or unreachable (unavailable), not a missing object.
    private static func writing(_ work: @escaping @Sendable () throws(ObjectStoreError) -> Void) async throws(ObjectStoreError) {
        do {
            try await offThread(work)
        } catch where error.kind == .notFound {
            throw ObjectStoreError(.unavailable, key: error.key, error.message)
        }
    }

    public func get(_ key: ObjectKey) async throws(ObjectStoreError) -> [UInt8] {
        let target = path(key)
        return try await offThread { () throws(ObjectStoreError) in try Self.readFile(target, key: key) }
    }

    public func get(_ key: ObjectKey, range: Range<Int>) async throws(ObjectStoreError) -> [UInt8] {
        let target = path(key)
        return try await offThread { () throws(ObjectStoreError) in
            let fd = open(target, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw Self.failure(errno, key: key, "no such object") }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: max(0, range.count))
            var filled = 0
            while filled < buffer.count {
                let count = buffer.withUnsafeMutableBytes {
                    pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(range.lowerBound + filled))
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw Self.failure(errno, key: key, "cannot read the object")
                }
                if count == 0 { break }
                filled += count
            }
            buffer.removeSubrange(filled...)
            return buffer
        }
    }

    public func size(_ key: ObjectKey) async throws(ObjectStoreError) -> Int? {
        let target = path(key)
        return try await offThread { () throws(ObjectStoreError) in
            var info = stat()
            guard stat(target, &info) == 0 else {
                if errno == ENOENT || errno == ENOTDIR { return nil }
                throw Self.failure(errno, key: key, "cannot stat the object")
            }
            return (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
        }
    }

    public func list(prefix: String) async throws(ObjectStoreError) -> [ObjectKey] {
        let root = root
        return try await offThread { () throws(ObjectStoreError) in
            // Walk only the deepest directory the prefix names.
            let directory = prefix.split(separator: "/", omittingEmptySubsequences: false).dropLast()
                .joined(separator: "/")
            var keys: [ObjectKey] = []
            try Self.walk(root, relative: directory, into: &keys)
            return keys.filter { $0.value.hasPrefix(prefix) }.sorted()
        }
    }

    public func delete(_ key: ObjectKey) async throws(ObjectStoreError) {
        let target = path(key)
        let root = root
        try await offThread { () throws(ObjectStoreError) in
            guard unlink(target) == 0 || errno == ENOENT || errno == ENOTDIR else {
                throw Self.failure(errno, key: key, "cannot delete the object")
            }
            // Directories the key emptied go too (rmdir refuses one that is not empty), so a
            // store whose jobs' chunks were deleted does not fill with empty directories. A
            // writer racing into a directory removed here fails transiently and is retried.
            var directory = Substring(target)
            while let slash = directory.lastIndex(of: "/") {
                directory = directory[..<slash]
                guard directory.count > root.count, directory.hasPrefix(root + "/"), rmdir(String(directory)) == 0 else { break }
            }
        }
    }

    /// Removes temporary files older than `age` seconds that an interrupted `put` left
    /// behind; returns how many.
    @discardableResult
    public func sweepTemporaries(olderThan age: Double) async throws(ObjectStoreError) -> Int {
        let root = root
        return try await offThread { () throws(ObjectStoreError) in
            try Self.sweep(root, before: Double(time(nil)) - age)
        }
    }
}
