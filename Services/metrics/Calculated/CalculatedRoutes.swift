import Aggregation
import APIModels
import Contracts
import Foundation
import Hosting
import HTTPTypes
import Hummingbird
import Runtime

/// The metrics service's calculated-metric API (the gateway's `/api/v1/metrics/…` goes here):
/// `GET /definitions`, `GET|PUT /definitions/:name`, `POST /compute`, `GET /values` (`version`:
/// only values that version computed).
enum CalculatedRoutes {
    static func add(to router: Router<SluiceRequestContext>, runtime: RuntimeContext, timeout: Duration) {
        let store = MetricStore(runtime: runtime)
        router.get("definitions") { _, _ in HTTPResponses.json(try await store.definitions()) }
        router.get("definitions/:name") { request, context in
            let name = try context.parameters.require("name")
            let version = request.uri.queryParameters.get("version").flatMap { Int($0) }
            guard let found = try await store.definition(name, version: version) else {
                return HTTPResponses.error(.notFound, "metrics.not-found", "no metric \(name)")
            }
            return HTTPResponses.json(found)
        }
        router.put("definitions/:name") { request, context in
            let name = try context.parameters.require("name")
            let body = try await request.body.collect(upTo: 1 << 20)
            do {
                var definition = try JSONCoding.decoder().decode(MetricDefinition.self, from: body)
                guard definition.name == name else {
                    throw SluiceError.permanent("metrics.invalid-definition", "the definition is named \(definition.name), the path \(name)")
                }
                definition.version = nil
                try MetricDefinitionRules.check(definition)
                let before = try await store.definition(name)
                let stored = try await store.put(definition, by: request.headers[HTTPField.Name("X-Sluice-Actor")!])
                return HTTPResponses.json(stored, status: before?.version == stored.version ? .ok : .created)
            } catch let error as SluiceError {
                return HTTPResponses.error(.badRequest, error.code, error.message)
            } catch {
                return HTTPResponses.error(.badRequest, "metrics.invalid-definition", "invalid definition: \(describe(error))")
            }
        }
        router.post("compute") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 16)
            let actor = request.headers[HTTPField.Name("X-Sluice-Actor")!]
            do {
                let input = try JSONCoding.decoder().decode(MetricComputeRequest.self, from: body)
                let work = try await plan(input, store: store)
                return HTTPResponses.json(await MetricComputation(runtime: runtime, timeout: timeout)
                    .run(work, requestedBy: actor, cause: "api/" + MessageID.random()))
            } catch let error as SluiceError {
                return HTTPResponses.error(error.code == "metrics.not-found" ? .notFound : .badRequest, error.code, error.message)
            } catch {
                return HTTPResponses.error(.badRequest, "metrics.invalid-request", "invalid compute request: \(describe(error))")
            }
        }
        router.get("values") { request, _ in
            let q = request.uri.queryParameters
            guard let name = q.get("name") else {
                return HTTPResponses.error(.badRequest, "metrics.invalid-request", "give the metric: ?name=NAME")
            }
            var dimensions: [String: String] = [:]
            for filter in q.getAll("dim") {
                let parts = filter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else {
                    return HTTPResponses.error(.badRequest, "metrics.invalid-request", "a dimension filter is dim=NAME=VALUE, got '\(filter)'")
                }
                dimensions[parts[0]] = parts[1]
            }
            let from = q.get("from").flatMap(JSONCoding.parseTimestamp)
            let to = q.get("to").flatMap(JSONCoding.parseTimestamp)
            if (q.get("from") != nil && from == nil) || (q.get("to") != nil && to == nil) {
                return HTTPResponses.error(.badRequest, "metrics.invalid-request", "from and to are ISO-8601 date-times")
            }
            let limit = min(max(Int(q.get("limit") ?? "") ?? 100, 1), 10_000)
            let version = q.get("version").flatMap { Int($0) }
            return HTTPResponses.json(try await store.values(name, version: version, dimensions: dimensions, from: from, to: to,
                                                            limit: limit))
        }
    }

    /// The definitions asked for and the periods of each the request names.
    static func plan(_ input: MetricComputeRequest, store: MetricStore) async throws -> [(MetricDefinition, [PeriodWindow])] {
        var definitions = try await store.definitions()
        if let names = input.names, !names.isEmpty {
            for name in names where !definitions.contains(where: { $0.name == name }) {
                throw SluiceError.permanent("metrics.not-found", "no metric \(name); define it first (sluice metrics define FILE)")
            }
            definitions = definitions.filter { names.contains($0.name) }
        }
        return try definitions.map { definition in
            let zone = TimeZone(identifier: definition.zone ?? "UTC") ?? .gmt
            func day(_ text: String?) throws -> Date? {
                guard let text else { return nil }
                guard let date = MetricPeriods.day(text, zone: zone) else {
                    throw SluiceError.permanent("metrics.invalid-request", "'\(text)' is not a date (YYYY-MM-DD)")
                }
                return date
            }
            // Every period that meets the dates, whole days in the metric's zone (a custom period's
            // slices of the day, or the week or month holding it).
            let (from, to) = try (day(input.date ?? input.from), day(input.date ?? input.to))
            guard let from, let to else {
                throw SluiceError.permanent("metrics.invalid-request", "give `date`, or `from` and `to` (YYYY-MM-DD)")
            }
            guard from <= to else { throw SluiceError.permanent("metrics.invalid-request", "`from` is after `to`") }
            let lastMoment = MetricPeriods.containing(to, .init(kind: .day), zone: zone).end.addingTimeInterval(-1)
            return (definition, MetricPeriods.covering(from, lastMoment, definition.period, zone: zone))
        }
    }
}
