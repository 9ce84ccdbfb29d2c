import Foundation

/// Runs Python 3 scripts, the oracles and readers of the test suite (pyarrow, frictionless).
enum Python {
    /// Runs `script` with `arguments` in `sys.argv[1:]`; returns the status and the output.
    /// Standard error goes through a file, so a chatty script cannot block on a full pipe.
    static func run(_ script: String, _ arguments: [String] = []) throws -> (status: Int32, stdout: String, stderr: String) {
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("python-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = (try? Data(contentsOf: errors)) ?? Data()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
