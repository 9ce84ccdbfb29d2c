import Glibc
import Toolkit

/// The POSIX file work behind `LocalObjectStore`; everything here blocks and runs off the
/// cooperative threads.
extension LocalObjectStore {
    private static let counter = Counter()

    /// A unique hidden name beside `target`.
    static func temporaryName(for target: String) -> String {
        let slash = target.lastIndex(of: "/").map { target.index(after: $0) } ?? target.startIndex
        return String(target[..<slash]) + ".\(target[slash...]).\(getpid())-\(counter.next()).tmp"
    }

    /// Sorts an `errno` into the store's failure kinds.
    static func failure(_ code: Int32, key: ObjectKey?, _ what: String) -> ObjectStoreError {
        let reason = String(cString: strerror(code))
        let kind: ObjectStoreError.Kind
        switch code {
        case ENOENT, ENOTDIR: kind = .notFound
        case ENOSPC, EDQUOT: kind = .full
        case EACCES, EPERM: kind = .denied
        default: kind = .unavailable
        }
        return ObjectStoreError(kind, key: key?.value, "\(what): \(reason)")
    }

    /// Creates the directories above `target` that do not exist yet.
    static func makeParent(of target: String, key: ObjectKey) throws(ObjectStoreError) {
        let utf8 = Array(target.utf8)
        for (index, byte) in utf8.enumerated() where byte == UInt8(ascii: "/") && index > 0 {
            let directory = String(decoding: utf8[..<index], as: UTF8.self)
            if mkdir(directory, 0o755) != 0 && errno != EEXIST {
                throw failure(errno, key: key, "cannot create the directory \(directory)")
            }
        }
    }

    static func writeFile(_ path: String, bytes: [UInt8], key: ObjectKey) throws(ObjectStoreError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(errno, key: key, "cannot create a temporary file") }
        defer { close(fd) }
        try writeAll(fd, bytes[...], key: key)
        guard fsync(fd) == 0 else { throw failure(errno, key: key, "cannot sync the object to disk") }
    }

    static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, key: ObjectKey) throws(ObjectStoreError) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(errno, key: key, "cannot write the object")
            }
            offset += written
        }
    }

    /// Fills a temporary beside `target` with `fill`, then renames it into place; the
    /// temporary is removed if anything fails, so no part is ever left visible.
    static func place(_ target: String, key: ObjectKey,
                      _ fill: (String) throws(ObjectStoreError) -> Void) throws(ObjectStoreError) {
        let temporary = temporaryName(for: target)
        do throws(ObjectStoreError) {
            try fill(temporary)
            try publish(temporary, as: target, key: key)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Renames a synced temporary over the target and syncs the directory entry.
    static func publish(_ temporary: String, as target: String, key: ObjectKey) throws(ObjectStoreError) {
        guard rename(temporary, target) == 0 else { throw failure(errno, key: key, "cannot rename into place") }
        try syncDirectory(of: target, key: key)
    }

    static func syncDirectory(of target: String, key: ObjectKey) throws(ObjectStoreError) {
        let directory = target.lastIndex(of: "/").map { String(target[..<$0]) } ?? "."
        let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(errno, key: key, "cannot open the directory to sync it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(errno, key: key, "cannot sync the directory") }
    }

    static func readFile(_ path: String, key: ObjectKey) throws(ObjectStoreError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(errno, key: key, "no such object") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(errno, key: key, "cannot stat the object") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw failure(ENOENT, key: key, "no such object") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(errno, key: key, "cannot read the object")
            }
            if count == 0 { break }
            filled += count
        }
        // The file shrank while we read (a concurrent replace renames, so this is rare).
        if filled < bytes.count { bytes.removeSubrange(filled...) }
        return bytes
    }

    static func copyFile(_ source: String, to target: String, key: ObjectKey) throws(ObjectStoreError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw failure(errno, key: key, "cannot open \(source)") }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw failure(errno, key: key, "cannot create a temporary file") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(errno, key: key, "cannot read \(source)")
            }
            if count == 0 { break }
            try writeAll(output, buffer[0..<count], key: key)
        }
        guard fsync(output) == 0 else { throw failure(errno, key: key, "cannot sync the object to disk") }
    }

    /// Collects the keys of regular files under `root/relative`, skipping hidden entries.
    static func walk(_ root: String, relative: String, into keys: inout [ObjectKey]) throws(ObjectStoreError) {
        let directory = relative.isEmpty ? root : root + "/" + relative
        guard let handle = opendir(directory) else {
            if errno == ENOENT || errno == ENOTDIR { return }
            throw failure(errno, key: nil, "cannot list \(directory)")
        }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = entryName(entry)
            if name.hasPrefix(".") { continue }
            let child = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard stat(root + "/" + child, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                try walk(root, relative: child, into: &keys)
            } else if (info.st_mode & S_IFMT) == S_IFREG, let key = try? ObjectKey(child) {
                keys.append(key)
            }
        }
    }

    /// The name of a directory entry, read in place: a `dirent` record is only as long as its
    /// name needs, so copying the whole struct (`entry.pointee`) can read past the buffer.
    static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        return String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
    }

    static func sweep(_ directory: String, before cutoff: Double) throws(ObjectStoreError) -> Int {
        guard let handle = opendir(directory) else { return 0 }
        defer { closedir(handle) }
        var removed = 0
        while let entry = readdir(handle) {
            let name = entryName(entry)
            if name == "." || name == ".." { continue }
            let path = directory + "/" + name
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                removed += try sweep(path, before: cutoff)
            } else if name.hasPrefix("."), name.hasSuffix(".tmp"), Double(info.st_mtim.tv_sec) < cutoff {
                if unlink(path) == 0 { removed += 1 }
            }
        }
        return removed
    }
}

/// A process-wide counter for unique temporary names.
private final class Counter: Sendable {
    private let value = LockedValue<Int>(0)
    func next() -> Int { value.update { $0 += 1; return $0 } }
}
