import Foundation

/// The built `sluice` binary, run as a user would.
enum SluiceCLI {
    /// Runs the binary and waits for it off the cooperative pool: the services it talks to run
    /// in this process and need those threads.
    static func run(_ arguments: [String], environment: [String: String] = [:],
                    input: String? = nil) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = TestEnvironment.packageRoot.appendingPathComponent(".build/debug/sluice")
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        if let input {
            let stdin = Pipe()
            process.standardInput = stdin
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
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
