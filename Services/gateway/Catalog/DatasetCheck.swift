import APIModels
import Contracts
import Definitions
import Foundation
import Toolkit

/// The rules of a catalog entry, checked when it is added or edited, so that a run never
/// finds a malformed one.
enum DatasetCheck {
    static let namePattern = DefinitionStore.namePattern
    /// A stored schema or plan: its name, optionally `@VERSION`.
    static let referencePattern = String(namePattern.dropLast()) + "(@[1-9][0-9]{0,9})?$"

    /// `entry` if it is valid; a 400 `gateway.invalid-dataset` saying what to change otherwise.
    static func entry(_ entry: DatasetEntry) throws -> DatasetEntry {
        func refuse(_ text: String) -> Problem { Problem.badRequest("gateway.invalid-dataset", text) }
        guard entry.name.range(of: namePattern, options: .regularExpression) != nil else {
            throw refuse("a dataset name is 1–100 letters, digits, '.', '_' and '-', starting with a letter or digit, "
                         + "not '\(entry.name)'")
        }
        switch entry.source.kind {
        case .url:
            let url = entry.source.url ?? ""
            guard let scheme = URL(string: url)?.scheme?.lowercased(), ["http", "https", "s3"].contains(scheme) else {
                throw refuse("a url source is http(s)://… or s3://bucket/key, not '\(url)'")
            }
        case .path:
            guard !(entry.source.path ?? "").isEmpty else { throw refuse("a path source needs `source.path`") }
        case .inline, .upload, .job:
            throw refuse("a dataset's source is fetched again at every run: a `url` (http(s):// or s3://) or a server "
                         + "`path`, not `\(entry.source.kind.rawValue)`")
        }
        for (key, value) in entry.tags ?? [:] where key.isEmpty || key.count > 100 || value.count > 200 {
            throw refuse("tag keys are 1–100 characters and values at most 200 ('\(key)')")
        }
        for reference in [entry.schemaName, entry.planName].compactMap({ $0 })
        where reference.range(of: referencePattern, options: .regularExpression) == nil {
            throw refuse("'\(reference)' is not a stored definition's NAME or NAME@VERSION")
        }
        if let options = entry.options,
           options.stages != nil || options.datasetKey != nil || options.force != nil || options.runDate != nil {
            throw refuse("`options.stages`, `options.datasetKey`, `options.force` and `options.runDate` belong to a run, "
                         + "not to the dataset")
        }
        if let size = entry.chunkSize, !(1...10_000).contains(size) {
            throw refuse("chunkSize is 1–10,000 records")
        }
        try JobRoutes.checkTargets(entry.notify)
        return entry
    }

    /// `entry` with a JSON merge patch applied; the name cannot change.
    static func merging(_ patch: Data, into entry: DatasetEntry) throws -> DatasetEntry {
        guard let changes = try? JSONSerialization.jsonObject(with: patch) as? [String: Any] else {
            throw Problem.badRequest("gateway.invalid-dataset", "an edit is a JSON object of the fields to change")
        }
        if let renamed = changes["name"] as? String, renamed != entry.name {
            throw Problem.badRequest("gateway.invalid-dataset",
                                     "a dataset's name cannot change: its jobs are keyed by it; add one with the new name")
        }
        let current = try JSONSerialization.jsonObject(with: Data(JSONCoding.encode(entry))) as? [String: Any] ?? [:]
        let merged = JSONMergePatch.apply(changes, to: current)
        do {
            return try JSONCoding.decoder().decode(DatasetEntry.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch {
            throw Problem.badRequest("gateway.invalid-dataset", "the edit does not make a valid dataset: \(error)")
        }
    }

    /// `with category=science` / `named a, b` / `(all)`, for messages and batch names.
    static func selection(tags: [String: String], names: [String]?) -> String {
        var parts: [String] = []
        if !tags.isEmpty { parts.append("with " + tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) }
        if let names, !names.isEmpty { parts.append("named " + names.joined(separator: ", ")) }
        return parts.isEmpty ? "(all)" : parts.joined(separator: " ")
    }
}
