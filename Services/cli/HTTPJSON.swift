import ArgumentParser
import Contracts
import Foundation
import Outbound

/// GETs JSON from a service API, with errors a person can act on.
enum HTTPJSON {
    static func get<T: Decodable>(_ type: T.Type, _ url: String) async throws -> T? {
        let result: HTTPResult
        do {
            result = try await Outbound.get(url: url)
        } catch {
            throw CLIError(code: ExitCodes.unavailable, message: "cannot reach \(url): \(error). Is the service running?")
        }
        if result.status == 404 { return nil }
        guard (200..<300).contains(result.status) else {
            throw CLIError(code: ExitCodes.unavailable,
                           message: "\(url) answered \(result.status): \(String(decoding: result.body, as: UTF8.self))")
        }
        return try JSONCoding.decoder().decode(T.self, from: Data(result.body))
    }

    static func bytes(_ url: String) async throws -> [UInt8]? {
        let result: HTTPResult
        do { result = try await Outbound.get(url: url) } catch {
            throw CLIError(code: ExitCodes.unavailable, message: "cannot reach \(url): \(error)")
        }
        if result.status == 404 { return nil }
        guard (200..<300).contains(result.status) else {
            throw CLIError(code: ExitCodes.unavailable, message: "\(url) answered \(result.status)")
        }
        return result.body
    }

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
