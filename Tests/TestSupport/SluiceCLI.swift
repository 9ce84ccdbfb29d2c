import Foundation

/// The built `sluice` binary, run as a user would.
enum SluiceCLI {
    /// Runs the binary and waits for it off the cooperative pool: the services it talks to run
    /// in this process and need those threads.
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = TestEnvironment.packageRoot.appendingPathComponent(".build/debug/sluice")
        process.arguments = arguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("cli-err-\(UUID())")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let data = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                while process.isRunning { usleep(10_000) }
                continuation.resume(returning: data)
            }
        }
        let errors = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: data, as: UTF8.self) + errors)
    }
}
