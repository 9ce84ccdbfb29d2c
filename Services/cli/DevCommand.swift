import ArgumentParser
import Catalog
import Dispatch
import Foundation
import UnixSignals

/// `sluice dev`: every service as its own process, logs prefixed by service, and a
/// service that dies restarted (with backoff). SIGINT/SIGTERM stop them all gracefully.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev", abstract: "Run every service as a separate process on this machine.")

    @Option(name: .long, parsing: .upToNextOption, help: "Services to run (default: all).")
    var services: [String] = ServiceCatalog.names

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        for name in services where !ServiceCatalog.names.contains(name) {
            throw ValidationError("unknown service '\(name)'")
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        var arguments = ["--log-format", global.logFormat, "--log-level", global.logLevel]
        if let config = global.config { arguments += ["--config", config] }
        for setting in global.settings { arguments += ["--set", setting] }
        let supervisor = Supervisor(executable: executable, baseArguments: arguments)
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let watcher = Task {
            for await _ in signals {
                supervisor.stopAll()
                break
            }
        }
        for name in services { supervisor.start(name) }
        supervisor.say("sluice dev: started \(services.joined(separator: ", ")); Ctrl-C stops them")
        await supervisor.waitUntilStopped()
        watcher.cancel()
    }
}

/// Starts, watches and restarts child processes.
final class Supervisor: @unchecked Sendable {
    private let executable: String
    private let baseArguments: [String]
    private let lock = NSLock()
    private var children: [String: Process] = [:]
    private var restarts: [String: Int] = [:]
    private var stopping = false
    private var stopped: CheckedContinuation<Void, Never>?
    private let output = NSLock()

    init(executable: String, baseArguments: [String]) {
        self.executable = executable
        self.baseArguments = baseArguments
    }

    func start(_ name: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", name] + baseArguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let prefix = "[\(name)]".padding(toLength: 12, withPad: " ", startingAt: 0)
        let buffer = LineBuffer()
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard !data.isEmpty else { handle.readabilityHandler = nil; return }
            for line in buffer.append(data) {
                self?.say(prefix + line)
            }
        }
        process.terminationHandler = { [weak self] process in self?.exited(name, status: process.terminationStatus) }
        do {
            try process.run()
            lock.withLock { children[name] = process }
        } catch {
            say("\(prefix) cannot start: \(error)")
        }
    }

    private func exited(_ name: String, status: Int32) {
        let (restart, delay, done) = lock.withLock { () -> (Bool, Int, Bool) in
            children[name] = nil
            if stopping { return (false, 0, children.isEmpty) }
            let count = (restarts[name] ?? 0) + 1
            restarts[name] = count
            return (true, min(30, 1 << min(count - 1, 5)), false)
        }
        if done { lock.withLock { stopped }?.resume(); return }
        guard restart else { return }
        say("[\(name)] exited with status \(status); restarting in \(delay)s")
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(delay)) { [weak self] in
            guard let self, !self.lock.withLock({ self.stopping }) else { return }
            self.start(name)
        }
    }

    /// Writes a whole line at once (unbuffered, so lines from children never interleave).
    func say(_ line: String) {
        output.withLock { writeLine(line) }
    }

    func stopAll() {
        let running = lock.withLock { () -> [Process] in
            stopping = true
            return Array(children.values)
        }
        say("sluice dev: stopping \(running.count) service(s)…")
        if running.isEmpty { lock.withLock { stopped }?.resume() }
        for process in running { process.terminate() }
    }

    func waitUntilStopped() async {
        await withCheckedContinuation { continuation in
            let done = lock.withLock { () -> Bool in
                if stopping && children.isEmpty { return true }
                stopped = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// Splits a child's output into lines (called from one readability handler at a time).
final class LineBuffer: @unchecked Sendable {
    private var pending = Data()

    func append(_ data: Data) -> [String] {
        pending.append(data)
        var lines: [String] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
            pending.removeSubrange(pending.startIndex...newline)
        }
        return lines
    }
}
