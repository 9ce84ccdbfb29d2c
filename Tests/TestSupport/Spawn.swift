import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process with `posix_spawn`, waiting for it off the cooperative pool.
///
/// Foundation's `Process.run()` on Linux can crash the test process: it reads
/// `/proc/self/fd` with a 256-byte copy of each entry's name, which runs past glibc's buffer
/// when the process holds thousands of descriptors, as the test process does with dozens of
/// pipelines' connections (swift-corelibs-foundation pull request 5472, fixed upstream after
/// this toolchain). The CLI tests spawn often, so they use this instead.
enum Spawn {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `executable` with `arguments` and `environment`, `input` on its standard input;
    /// returns its exit status (128 + the signal if one killed it) and its standard output
    /// followed by its standard error.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    input: String?) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(executable, arguments, environment: environment, input: input) })
            }
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String],
                                    input: String?) throws -> (status: Int32, output: String) {
        var out: [Int32] = [0, 0], err: [Int32] = [0, 0], inp: [Int32] = [0, 0]
        guard pipe(&out) == 0, pipe(&err) == 0, pipe(&inp) == 0 else { throw Failure(description: "pipe: \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inp[0], 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        for fd in out + err + inp { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        for fd in [out[1], err[1], inp[0]] { close(fd) }
        guard spawned == 0 else {
            for fd in [out[0], err[0], inp[1]] { close(fd) }
            throw Failure(description: "posix_spawn \(executable): \(spawned)")
        }
        // Feed the input and drain both outputs on their own threads, so none can fill up.
        let (inputWrite, errorRead) = (inp[1], err[0])
        let feeder = Thread {
            if let input {
                let bytes = Array(input.utf8)
                var offset = 0
                while offset < bytes.count {
                    let written = bytes[offset...].withUnsafeBytes { write(inputWrite, $0.baseAddress, $0.count) }
                    if written <= 0 { break }
                    offset += written
                }
            }
            close(inputWrite)
        }
        feeder.start()
        let errors = LockedBytes()
        let drainer = Thread { errors.set(readAll(errorRead)) }
        drainer.start()
        let output = readAll(out[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        while !errors.done { usleep(1_000) }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (code, String(decoding: output + errors.bytes, as: UTF8.self))
    }

    /// Everything until end of file; closes `fd`.
    private static func readAll(_ fd: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        close(fd)
        return bytes
    }

    /// The standard error, filled by its drainer thread.
    private final class LockedBytes: @unchecked Sendable {
        private let lock = NSLock()
        private var value: [UInt8]?
        func set(_ bytes: [UInt8]) { lock.withLock { value = bytes } }
        var done: Bool { lock.withLock { value != nil } }
        var bytes: [UInt8] { lock.withLock { value ?? [] } }
    }
}
