import Foundation
import Testing
@testable import Validation
import Contracts
import Tabular

/// The oracle comparison: every fixture case is validated by this package and by
/// frictionless-py (run live), and the two must report the same errors.
@Suite("Frictionless oracle")
struct OracleTests {
    /// One reported error in the oracle's shape.
    struct Finding: Codable, Hashable, Comparable, CustomStringConvertible {
        var row: Int?
        var field: String?
        var code: String

        static func < (lhs: Finding, rhs: Finding) -> Bool {
            (lhs.row ?? 0, lhs.field ?? "", lhs.code) < (rhs.row ?? 0, rhs.field ?? "", rhs.code)
        }

        var description: String { "row \(row.map(String.init) ?? "-") \(field ?? "-") \(code)" }
    }

    static let root: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("tableschema")

    static let caseNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: root.appendingPathComponent($0).appendingPathComponent("schema.json").path)
        }.sorted()
    }()

    /// The oracle's verdicts for all cases, computed once with a single Python process.
    static let oracle: Result<[String: [Finding]], OracleFailure> = runOracle()

    struct OracleFailure: Error, CustomStringConvertible {
        var description: String
    }

    static func runOracle() -> Result<[String: [Finding]], OracleFailure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("oracle.py").path, "--all", root.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return .failure(OracleFailure(description:
                "Cannot run python3 (\(error)); install Python 3 and then `pip install frictionless`."))
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let hint = message.contains("frictionless") || process.terminationStatus == 3
                || process.terminationStatus == 127
                ? "frictionless-py (or python3) is missing: pip install frictionless. " : ""
            return .failure(OracleFailure(description:
                "\(hint)The oracle exited with status \(process.terminationStatus): \(message)"))
        }
        do {
            return .success(try JSONDecoder().decode([String: [Finding]].self, from: data))
        } catch {
            return .failure(OracleFailure(description: "Unreadable oracle output (\(error)): \(message)"))
        }
    }

    /// What this package reports for a case, in the oracle's shape.
    static func validate(_ name: String) throws -> [Finding] {
        let directory = root.appendingPathComponent(name)
        let schemaData = try Data(contentsOf: directory.appendingPathComponent("schema.json"))
        let schema = try JSONDecoder().decode(TableSchema.self, from: schemaData)
        let compiled = try CompiledSchema(schema: schema)
        let text = try String(contentsOf: directory.appendingPathComponent("data.csv"), encoding: .utf8)
        let records = CSVTestReader.records(text)
        guard let header = records.first else { return [] }
        let checker = compiled.rowChecker(header: header)
        #expect(checker.header.problems.isEmpty, "\(name): header problems \(checker.header.problems)")
        var tracker = UniqueTracker(schema: compiled)
        var findings: [Finding] = []
        for (offset, record) in records.dropFirst().enumerated() {
            let line = offset + 1
            let outcome = checker.check(line: line, cells: record)
            let duplicates = tracker.observe(line: line, fingerprints: outcome.fingerprints)
            for error in outcome.errors + duplicates {
                findings.append(Finding(row: error.line, field: error.field, code: error.code))
            }
        }
        return findings.sorted()
    }

    @Test("The corpus has enough cases")
    func corpusSize() {
        #expect(Self.caseNames.count >= 34, "only \(Self.caseNames.count) oracle cases")
    }

    @Test("Same errors as frictionless", arguments: caseNames)
    func sameErrorsAsFrictionless(_ name: String) throws {
        let expected: [Finding]
        switch Self.oracle {
        case .failure(let failure):
            Issue.record("\(failure)")
            return
        case .success(let verdicts):
            guard let found = verdicts[name] else {
                Issue.record("The oracle did not report on \(name)")
                return
            }
            expected = found.sorted()
        }
        // The committed expected.json is documentation; it must not drift from the oracle.
        let committed = Self.root.appendingPathComponent(name).appendingPathComponent("expected.json")
        if let data = try? Data(contentsOf: committed),
           let recorded = try? JSONDecoder().decode([Finding].self, from: data) {
            #expect(recorded.sorted() == expected,
                    "\(name)/expected.json is stale; regenerate it with `python3 oracle.py --write <fixtures>`")
        } else {
            Issue.record("\(name)/expected.json is missing or unreadable")
        }
        let actual = try Self.validate(name)
        let missing = Self.difference(expected, actual)
        let extra = Self.difference(actual, expected)
        #expect(missing.isEmpty && extra.isEmpty,
                "\(name): frictionless reported but we did not: \(missing); we reported but frictionless did not: \(extra)")
    }

    /// Multiset difference `lhs - rhs`.
    static func difference(_ lhs: [Finding], _ rhs: [Finding]) -> [Finding] {
        var remaining = rhs
        var result: [Finding] = []
        for item in lhs {
            if let index = remaining.firstIndex(of: item) { remaining.remove(at: index) } else { result.append(item) }
        }
        return result
    }
}
