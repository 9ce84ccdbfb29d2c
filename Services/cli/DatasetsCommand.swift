import APIModels
import ArgumentParser
import Contracts
import Foundation

/// `sluice datasets …`: the project's dataset catalog, through the gateway (docs/datasets.md).
struct DatasetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets", abstract: "The dataset catalog: add, list, show, edit, remove and run datasets.",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self, DatasetsRunCommand.self])

    /// What `add` and `edit` can set with flags.
    struct EntryOptions: ParsableArguments {
        @Option(help: "An http(s):// or s3://bucket/key URL to fetch.") var url: String?
        @Option(help: "A file on the server (under ingest's roots).") var path: String?
        @Option(help: "The format (default: detected).") var format: String?
        @Option(help: "A tag key=value (repeatable).") var tag: [String] = []
        @Option(help: "A schema stored for the project (NAME or NAME@VERSION).") var schema: String?
        @Option(help: "A plan stored for the project (NAME or NAME@VERSION).") var plan: String?
        @Option(help: "An artifact to produce (repeatable): csv, jsonl, xlsx, summary, validation, report, results.")
        var output: [String] = []
        @Option(help: "An address told about each job's outcome (repeatable).") var email: [String] = []
        @Option(help: "A webhook told about each job's outcome (repeatable).") var webhook: [String] = []
        @Option(help: "What the dataset is.") var description: String?

        /// The fields the flags set, as JSON members.
        func members() throws -> [String: Any] {
            var fields: [String: Any] = [:]
            if url != nil, path != nil { throw CLIError(code: ExitCodes.usage, message: "give --url or --path, not both") }
            // The other member null, so an edit from a path to a URL leaves no stale path.
            if let url { fields["source"] = ["kind": "url", "url": url, "path": NSNull()] as [String: Any] }
            if let path { fields["source"] = ["kind": "path", "path": path, "url": NSNull()] as [String: Any] }
            if let format { fields["format"] = format }
            if !tag.isEmpty { fields["tags"] = try KeyValuePairs.parse(tag) }
            if let schema { fields["schemaName"] = schema }
            if let plan { fields["planName"] = plan }
            if !output.isEmpty { fields["outputs"] = output }
            // Only the lists given: an edit with --email keeps the webhooks (a merge patch).
            var notify: [String: Any] = [:]
            if !email.isEmpty { notify["emails"] = email }
            if !webhook.isEmpty { notify["webhooks"] = webhook }
            if !notify.isEmpty { fields["notify"] = notify }
            if let description { fields["description"] = description }
            return fields
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a dataset: NAME with flags, or --file ENTRY.json (flags override its fields). Admins only.")
        @Argument(help: "The dataset's name (or the file's `name`).") var name: String?
        @Option(help: "A JSON file with the entry (name, source, tags, schemaName, planName, outputs, notify, options, …).")
        var file: String?
        @OptionGroup var entry: EntryOptions
        @Option(help: "The project.") var project: String = "default"
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                var fields: [String: Any] = [:]
                if let file {
                    guard let data = FileManager.default.contents(atPath: file),
                          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                        throw CLIError(code: ExitCodes.usage, message: "\(file) is not a readable JSON object")
                    }
                    fields = object
                }
                fields.merge(try entry.members()) { _, new in new }
                if let name { fields["name"] = name }
                guard fields["name"] != nil, fields["source"] != nil else {
                    throw CLIError(code: ExitCodes.usage, message: "a dataset needs a NAME and --url or --path (or a --file with them)")
                }
                let dataset = try await APIClient(global: global).send(
                    Dataset.self, "POST", "/projects/\(APIClient.escape(project))/datasets",
                    bytes: [UInt8](try JSONSerialization.data(withJSONObject: fields)), headers: ["Content-Type": "application/json"])
                if json { return try HTTPJSON.print(dataset) }
                print("added \(dataset.key)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The project's datasets (those with every --tag).")
        @Option(help: "A tag key=value (repeatable).") var tag: [String] = []
        @Option(help: "The project.") var project: String = "default"
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                let all = try await APIClient(global: global).get(
                    [Dataset].self, "/projects/\(APIClient.escape(project))/datasets", query: tag.map { ("tag", $0) })
                if json { return try HTTPJSON.print(all) }
                print(Table.render(all.map { dataset in
                    [dataset.entry.name, DatasetsCommand.source(dataset.entry.source),
                     (dataset.entry.tags ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                     dataset.lastJob.map { "\($0.state) \($0.submittedAt.formatted(.iso8601))" } ?? "never run"]
                }, header: ["NAME", "SOURCE", "TAGS", "LAST JOB"]))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A dataset's entry and its latest job, as JSON.")
        @Argument var name: String
        @Option(help: "The project.") var project: String = "default"
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                try HTTPJSON.print(try await APIClient(global: global).get(
                    Dataset.self, "/projects/\(APIClient.escape(project))/datasets/\(APIClient.escape(name))"))
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a dataset: the fields the flags give (--tag replaces all tags), or --patch with a JSON merge patch. Admins only.")
        @Argument var name: String
        @OptionGroup var entry: EntryOptions
        @Option(help: "A JSON merge patch of the entry, e.g. '{\"tags\": {\"term\": null}}'.") var patch: String?
        @Option(help: "The project.") var project: String = "default"
        @Flag var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                var fields = try entry.members()
                let api = try APIClient(global: global)
                let path = "/projects/\(APIClient.escape(project))/datasets/\(APIClient.escape(name))"
                if !entry.tag.isEmpty {
                    // --tag replaces every tag: the current ones the flags leave out become null.
                    let current = try await api.get(Dataset.self, path).entry.tags ?? [:]
                    var tags: [String: Any] = current.mapValues { _ in NSNull() }
                    for (key, value) in try KeyValuePairs.parse(entry.tag) { tags[key] = value }
                    fields["tags"] = tags
                }
                if let patch {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(patch.utf8)) as? [String: Any] else {
                        throw CLIError(code: ExitCodes.usage, message: "--patch is a JSON object")
                    }
                    fields.merge(object) { _, new in new }
                }
                guard !fields.isEmpty else { throw CLIError(code: ExitCodes.usage, message: "nothing to change: give flags or --patch") }
                let dataset = try await api.send(Dataset.self, "PATCH", path,
                                                 bytes: [UInt8](try JSONSerialization.data(withJSONObject: fields)),
                                                 headers: ["Content-Type": "application/merge-patch+json"])
                if json { return try HTTPJSON.print(dataset) }
                print("changed \(dataset.key)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a dataset from the catalog (its jobs stay). Admins only.")
        @Argument var name: String
        @Option(help: "The project.") var project: String = "default"
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await exiting {
                try await APIClient(global: global).call("DELETE", "/projects/\(APIClient.escape(project))/datasets/\(APIClient.escape(name))")
                print("removed \(project)/\(name)")
            }
        }
    }

    static func source(_ source: JobSubmit.Source) -> String {
        source.url ?? source.path ?? source.kind.rawValue
    }
}
