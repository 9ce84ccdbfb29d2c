import Contracts
import Foundation
import Reports
import Tabular
@testable import TestSupport

/// Helpers shared by the test suites: a deterministic random generator, a scratch
/// directory inside the package, and running command-line tools.
enum ReportTestSupport {
    /// The package root (this file lives in Tests/ReportsTests/).
    static let packageRoot = TestEnvironment.packageRoot

    /// A fresh directory under `.build/test-artifacts`, so tests write nothing outside the
    /// package.
    static func scratchDirectory(_ name: String) throws -> URL {
        let url = packageRoot.appendingPathComponent(".build/test-artifacts/\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The output of a finished process.
    struct ProcessResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` with `arguments` and waits for it; stdout and stderr are captured
    /// through files so large outputs cannot deadlock a pipe.
    static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> ProcessResult {
        let directory = try scratchDirectory("process")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = directory.path
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        if let input {
            let inURL = directory.appendingPathComponent("stdin")
            try input.write(to: inURL, atomically: true, encoding: .utf8)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        }
        try process.run()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// Runs a Python 3 script given on stdin with `arguments` in `sys.argv[1:]`.
    static func python(_ script: String, _ arguments: [String] = []) throws -> ProcessResult {
        try run("/usr/bin/env", ["python3", "-"] + arguments, input: script)
    }

    /// A stable JSON encoder: sorted keys, so equal values give equal bytes.
    static func json(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }
}

/// SplitMix64: a tiny deterministic generator, so generated test data is the same in every
/// run and on every machine.
/// A small deterministic generator (SplitMix64), so failures reproduce from the seed alone.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// A standard normal value (Box–Muller).
    mutating func normal() -> Double {
        let u = max(unit(), 1e-300), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

/// The numpy-default ("linear") percentile, written independently of the library: the
/// value at fractional rank `(n - 1)·q` of the ascending values, interpolated linearly.
func referencePercentile(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    let rank = Double(sorted.count - 1) * q
    let below = Int(floor(rank)), above = Int(ceil(rank))
    return sorted[below] + (rank - Double(below)) * (sorted[above] - sorted[below])
}
