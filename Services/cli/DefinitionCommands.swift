import APIModels
import ArgumentParser
import Contracts
import Definitions
import Foundation

/// `sluice schemas …` and `sluice plans …`: stored, versioned Table Schemas (in validate) and
/// processing plans (in transform), per project, through the gateway. `put` stores a file as
/// the next version.
struct SchemasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemas", abstract: "Store and show Table Schemas (validate).",
        subcommands: [DefinitionPut<SchemaKind>.self, DefinitionList<SchemaKind>.self, DefinitionShow<SchemaKind>.self])
}

/// See ``SchemasCommand``.
struct PlansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans", abstract: "Store and show processing plans, JSON or YAML (transform).",
        subcommands: [DefinitionPut<PlanKind>.self, DefinitionList<PlanKind>.self, DefinitionShow<PlanKind>.self])
}

/// Where a kind of definition lives.
protocol DefinitionKind {
    static var service: String { get }
    static var path: String { get }
}

enum SchemaKind: DefinitionKind {
    static let service = "validate"
    static let path = "schemas"
}

enum PlanKind: DefinitionKind {
    static let service = "transform"
    static let path = "plans"
}

struct DefinitionPut<Kind: DefinitionKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { .init(commandName: "put", abstract: "Store FILE as the next version of NAME.") }
    @Argument(help: "The name.") var name: String
    @Argument(help: "The file (JSON; plans may also be YAML).") var file: String
    @Option(help: "The project.") var project: String = "default"
    @Flag var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            guard let body = FileManager.default.contents(atPath: file) else {
                throw CLIError(code: ExitCodes.usage, message: "cannot read \(file)")
            }
            let stored = try await APIClient(global: global).send(
                StoredDefinition.self, "PUT", "/projects/\(APIClient.escape(project))/\(Kind.path)/\(APIClient.escape(name))",
                bytes: [UInt8](body), headers: [:])
            if json { try HTTPJSON.print(stored) } else { writeLine(stored.reference) }
        }
    }
}

struct DefinitionList<Kind: DefinitionKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { .init(commandName: "list", abstract: "The latest version of each.") }
    @Option(help: "The project.") var project: String = "default"
    @Flag var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            let all = try await APIClient(global: global).get([StoredDefinition].self,
                                                              "/projects/\(APIClient.escape(project))/\(Kind.path)")
            if json { return try HTTPJSON.print(all) }
            print(Table.render(all.map { [$0.name, String($0.version), $0.createdAt.formatted(.iso8601)] },
                               header: ["NAME", "VERSION", "STORED"]))
        }
    }
}

struct DefinitionShow<Kind: DefinitionKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { .init(commandName: "show", abstract: "Print NAME (or NAME@VERSION).") }
    @Argument var reference: String
    @Option(help: "The project.") var project: String = "default"
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
            let found = try await APIClient(global: global).get(
                StoredDefinition.self, "/projects/\(APIClient.escape(project))/\(Kind.path)/\(APIClient.escape(parts[0]))",
                query: [("version", parts.count == 2 ? parts[1] : nil)])
            print(found.body)
        }
    }
}

/// `sluice rerun --tag k=v`: run the latest input of every dataset of a project with those
/// tags again, through the gateway.
struct RerunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun", abstract: "Re-run every dataset selected by tags (analysis-only or publish-only).")
    @Option(help: "A tag key=value that selects datasets (repeatable; all must match).") var tag: [String] = []
    @Option(help: "analysis-only (default) or publish-only.") var stages: String = "analysis-only"
    @Option(help: "The project.") var project: String = "default"
    @Flag var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            let tags = try KeyValuePairs.parse(tag)
            guard let stages = JobOptions.Stages(rawValue: stages) else {
                throw CLIError(code: ExitCodes.usage, message: "--stages is analysis-only or publish-only")
            }
            let jobs = try await APIClient(global: global).send(
                [GatewayJob].self, "POST", "/projects/\(APIClient.escape(project))/reruns",
                body: RerunRequest(tags: tags, stages: stages))
            if json { return try HTTPJSON.print(jobs) }
            print(Table.render(jobs.map { [$0.id, $0.name, $0.state] }, header: ["JOB", "NAME", "STATE"]))
        }
    }
}
