import ArgumentParser
import Contracts
import Foundation
import Outbound

/// JSON output for `--json`.
enum HTTPJSON {
    static func print<T: Encodable>(_ value: T) throws {
        Swift.print(String(decoding: try JSONCoding.encoder(pretty: true).encode(value), as: UTF8.self))
    }
}

/// Writes a whole line to standard output at once (unbuffered), so a script piping the job id
/// gets it before any progress, and lines from `sluice dev`'s children never interleave.
func writeLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A command failure with an exit code.
struct CLIError: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var description: String { message }
}

extension AsyncParsableCommand {
    /// Prints the error and exits with its code.
    func exiting(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let error as CLIError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(error.code)
        }
    }
}
