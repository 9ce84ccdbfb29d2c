import APIModels
import Tabular
import ArgumentParser
import Foundation

/// `sluice references …`: the stored, versioned reference tables that plans' `lookup` steps
/// join (docs/plans.md#lookup), per project, through the gateway.
struct ReferencesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "references", abstract: "Store and show reference tables for plans' lookup steps (transform).",
        subcommands: [Put.self, List.self, Show.self])

    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store FILE (CSV with a header, or a JSON array of objects) as the next version of NAME.")
        @Argument(help: "The name plans use.") var name: String
        @Argument(help: "The file.") var file: String
        @Option(help: "The project.") var project: String = "default"
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                guard let body = FileManager.default.contents(atPath: file) else {
                    throw CLIError(code: ExitCodes.usage, message: "cannot read \(file)")
                }
                let stored = try await APIClient(global: global).send(
                    StoredReference.self, "PUT", "/projects/\(APIClient.escape(project))/references/\(APIClient.escape(name))",
                    bytes: [UInt8](body), headers: [:])
                if json { return try HTTPJSON.print(stored) }
                writeLine("\(stored.reference): \(stored.rows) rows, columns \(stored.columns.joined(separator: ", "))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The latest version of each table.")
        @Option(help: "The project.") var project: String = "default"
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let all = try await APIClient(global: global).get([StoredReference].self,
                                                                  "/projects/\(APIClient.escape(project))/references")
                if json { return try HTTPJSON.print(all) }
                print(Table.render(all.map { [$0.name, String($0.version), String($0.rows), $0.columns.joined(separator: ", "),
                                              $0.createdAt.formatted(.iso8601)] },
                                   header: ["NAME", "VERSION", "ROWS", "COLUMNS", "STORED"]))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print NAME (or NAME@VERSION) as CSV: the header and its first rows.")
        @Argument var reference: String
        @Option(help: "The project.") var project: String = "default"
        @Option(help: "Rows to print.") var limit: Int = 100
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
                let found = try await APIClient(global: global).get(
                    StoredReference.self, "/projects/\(APIClient.escape(project))/references/\(APIClient.escape(parts[0]))",
                    query: [("version", parts.count == 2 ? parts[1] : nil), ("limit", String(limit))])
                if json { return try HTTPJSON.print(found) }
                let writer = CSVWriter(guardsFormulas: false)
                var text = writer.row(found.columns)
                for row in found.data { text += writer.row(row.map(\.csvText)) }
                print(text, terminator: "")
                if found.rows > found.data.count {
                    FileHandle.standardError.write(Data("(\(found.reference): \(found.data.count) of \(found.rows) rows)\n".utf8))
                }
            }
        }
    }
}
