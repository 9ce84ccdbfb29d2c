import Foundation

/// A service as a real child process (`sluice serve <name>`), for fault tests that kill it.
final class ServiceProcess: @unchecked Sendable {
    let process = Process()
    let log: URL

    init(_ service: String, prefix: String, overrides: [String: String] = [:], logLevel: String = "warning") throws {
        let binary = TestEnvironment.packageRoot.appendingPathComponent(".build/debug/sluice")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: binary.path + " (run `swift build` first)"])
        }
        var settings = TestEnvironment.settings(service, prefix: prefix)
        settings["consumer.prefetch"] = "20"
        settings.merge(overrides) { $1 }
        process.executableURL = binary
        process.arguments = ["serve", service, "--log-level", logLevel] + settings.flatMap { ["--set", "\($0.key)=\($0.value)"] }
        log = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(service)-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// A test that fails midway must not leave its services running.
    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// SIGKILL: no graceful shutdown, no acks, nothing flushed.
    func kill() async {
        Foundation.kill(process.processIdentifier, SIGKILL)
        _ = await waitForExit(timeout: 10)
    }

    /// SIGTERM and wait for the graceful shutdown; false (and SIGKILL) if it hangs.
    @discardableResult
    func terminate(timeout: Double = 30) async -> Bool {
        process.terminate()
        if await waitForExit(timeout: timeout) { return true }
        Foundation.kill(process.processIdentifier, SIGKILL)
        _ = await waitForExit(timeout: 10)
        return false
    }

    /// Polls with `Task.sleep`: `waitUntilExit` spins a CPU on Linux, and a blocking wait
    /// would hold one of the test process's two cooperative threads, which the in-process
    /// services need (a child talking to them would then time out).
    private func waitForExit(timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return !process.isRunning
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Whether the process is still alive.
    var isRunning: Bool { process.isRunning }

    /// The exit signal, if it died of one.
    var terminationSignal: Int32? {
        process.isRunning || process.terminationReason != .uncaughtSignal ? nil : process.terminationStatus
    }
}
