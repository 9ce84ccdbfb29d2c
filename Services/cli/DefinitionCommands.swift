import ArgumentParser
import Contracts
import Definitions
import Foundation
import Outbound

/// `sluice schemas …` and `sluice plans …`: stored, versioned Table Schemas (in validate) and
/// processing plans (in transform). `put` stores a file as the next version.
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
    @Flag var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            guard let body = FileManager.default.contents(atPath: file) else {
                throw CLIError(code: ExitCodes.usage, message: "cannot read \(file)")
            }
            let url = "\(global.serviceURL(Kind.service, values: try global.values()))/\(Kind.path)/\(name)"
            let result: HTTPResult
            do {
                result = try await Outbound.post(url: url, body: [UInt8](body), contentType: "application/json", method: "PUT")
            } catch {
                throw CLIError(code: ExitCodes.unavailable, message: "cannot reach \(url): \(error)")
            }
            guard result.status == 201 else {
                throw CLIError(code: (400..<500).contains(result.status) ? ExitCodes.usage : ExitCodes.unavailable,
                               message: String(decoding: result.body, as: UTF8.self))
            }
            let stored = try JSONCoding.decoder().decode(StoredDefinition.self, from: Data(result.body))
            if json { try HTTPJSON.print(stored) } else { writeLine(stored.reference) }
        }
    }
}

struct DefinitionList<Kind: DefinitionKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { .init(commandName: "list", abstract: "The latest version of each.") }
    @Flag var json = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            let url = "\(global.serviceURL(Kind.service, values: try global.values()))/\(Kind.path)"
            let all = try await HTTPJSON.get([StoredDefinition].self, url) ?? []
            if json { return try HTTPJSON.print(all) }
            print(Table.render(all.map { [$0.name, String($0.version), $0.createdAt.formatted(.iso8601)] },
                               header: ["NAME", "VERSION", "STORED"]))
        }
    }
}

struct DefinitionShow<Kind: DefinitionKind>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { .init(commandName: "show", abstract: "Print NAME (or NAME@VERSION).") }
    @Argument var reference: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await exiting {
            let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
            let query = parts.count == 2 ? "?version=\(parts[1])" : ""
            let url = "\(global.serviceURL(Kind.service, values: try global.values()))/\(Kind.path)/\(parts[0])\(query)"
            guard let found = try await HTTPJSON.get(StoredDefinition.self, url) else {
                throw CLIError(code: ExitCodes.usage, message: "no \(Kind.path.dropLast()) \(reference)")
            }
            print(found.body)
        }
    }
}

/// `sluice rerun --tag k=v`: run the latest input of every dataset with those tags again.
struct RerunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun", abstract: "Re-run every dataset selected by tags (analysis-only or publish-only).")
    @Option(help: "A tag key=value that selects datasets (repeatable; all must match).") var tag: [String] = []
    @Option(help: "analysis-only (default) or publish-only.") var stages: String = "analysis-only"
    @Flag var json = false
    @OptionGroup var global: GlobalOptions

    struct Receipt: Codable { struct Run: Codable { var jobId: String; var fromJob: String; var name: String }; var submitted: [Run] }

    func run() async throws {
        try await exiting {
            var tags: [String: String] = [:]
            for item in tag {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw CLIError(code: ExitCodes.usage, message: "--tag expects key=value, got \(item)") }
                tags[parts[0]] = parts[1]
            }
            let body = try JSONCoding.encode(["tags": AnyCodableTags.tags(tags), "stages": .text(stages)])
            let url = "\(global.serviceURL("ingest", values: try global.values()))/reruns"
            let result: HTTPResult
            do { result = try await Outbound.post(url: url, body: body) } catch {
                throw CLIError(code: ExitCodes.unavailable, message: "cannot reach \(url): \(error)")
            }
            guard result.status == 202 else {
                throw CLIError(code: ExitCodes.usage, message: String(decoding: result.body, as: UTF8.self))
            }
            let receipt = try JSONCoding.decoder().decode(Receipt.self, from: Data(result.body))
            if json { return try HTTPJSON.print(receipt) }
            print(Table.render(receipt.submitted.map { [$0.jobId, $0.fromJob, $0.name] }, header: ["JOB", "FROM", "NAME"]))
        }
    }
}

/// The two shapes of the re-run request body's values.
enum AnyCodableTags: Encodable {
    case tags([String: String])
    case text(String)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .tags(let tags): try container.encode(tags)
        case .text(let text): try container.encode(text)
        }
    }
}
