import APIModels
import CivilTime
import Contracts
import Foundation
import Hosting
import Hummingbird
import Runtime

/// The dataset catalog (docs/datasets.md): named entries per project, each a source and how to
/// process it; admins add, edit and remove them, members run the catalog or a tag-filtered
/// part of it as one batch with a job per dataset.
struct DatasetRoutes {
    let api: GatewayAPI
    let runtime: RuntimeContext
    let jobRoutes: JobRoutes

    var datasets: DatasetRepository { DatasetRepository(runtime: runtime) }

    func add() {
        api.add("listDatasets") { request, context, access in
            let project = try access.enterProject(context)
            let found = try await datasets.list(project: project, tags: try request.tagFilters())
            return HTTPResponses.json(try await withLastJobs(found))
        }
        api.add("createDataset") { request, context, access in
            let project = try await existingProject(context, access)
            let entry = try DatasetCheck.entry(try await BodyReader.decode(DatasetEntry.self, request, limit: 1 << 20))
            access.target("\(project)/\(entry.name)")
            guard try await datasets.add(entry, project: project, by: try access.user.userName, at: Date()) else {
                throw Problem(.conflict, "gateway.dataset-exists",
                              "project \(project) has a dataset \(entry.name) already; edit it, or remove it first")
            }
            var response = HTTPResponses.json(try await found(project, entry.name), status: .created)
            response.headers[.location] = "/api/v1/projects/\(project)/datasets/\(entry.name)"
            return response
        }
        api.add("getDataset") { _, context, access in
            let dataset = try await dataset(context, access)
            return HTTPResponses.json(try await withLastJobs([dataset])[0])
        }
        api.add("updateDataset") { request, context, access in
            let dataset = try await dataset(context, access)
            let buffer = try await BodyReader.bytes(request, limit: 1 << 20)
            let entry = try DatasetCheck.entry(try DatasetCheck.merging(Data(buffer.readableBytesView), into: dataset.entry))
            guard try await datasets.replace(entry, project: dataset.project, by: try access.user.userName, at: Date()) else {
                throw Problem.notFound("dataset \(dataset.key)")
            }
            return HTTPResponses.json(try await withLastJobs([try await found(dataset.project, entry.name)])[0])
        }
        api.add("deleteDataset") { _, context, access in
            let dataset = try await dataset(context, access)
            _ = try await datasets.remove(project: dataset.project, name: dataset.entry.name)
            return Response(status: .noContent)
        }
        api.add("runDatasets") { request, context, access in
            let project = try await existingProject(context, access)
            let buffer = try await BodyReader.bytes(request, limit: 64 << 10)
            let body = buffer.readableBytes == 0 ? DatasetRunRequest()
                : try BodyReader.decode(DatasetRunRequest.self, Data(buffer.readableBytesView))
            let run = try await run(body, project: project, actor: try access.user.userName)
            access.target(run.batch?.id ?? project)
            return HTTPResponses.json(run, status: .created)
        }
    }

    /// Selects the entries and runs them (409 when none match or none can run: the project is
    /// there, its catalog as it is now has nothing to run).
    func run(_ body: DatasetRunRequest, project: String, actor: String) async throws -> DatasetRun {
        if let runDate = body.runDate, !CivilDate.isDay(runDate) {
            throw Problem.badRequest("gateway.invalid-run-date", "runDate is a day, YYYY-MM-DD, not '\(runDate)'")
        }
        let tags = body.tags ?? [:]
        let selected = try await datasets.list(project: project, tags: tags, names: body.names)
        let wanted = DatasetCheck.selection(tags: tags, names: body.names)
        guard !selected.isEmpty else {
            throw Problem(.conflict, "gateway.no-datasets", tags.isEmpty && body.names == nil
                ? "project \(project) has no dataset in its catalog yet; add one (sluice datasets add)"
                : "project \(project) has no dataset \(wanted) (sluice datasets list shows them)")
        }
        if let names = body.names, let unknown = Set(names).subtracting(selected.map(\.entry.name)).sorted().first {
            throw Problem(.conflict, "gateway.no-datasets", "project \(project) has no dataset \(unknown) \(wanted)")
        }
        let stages = body.stages ?? .all
        let plan = DatasetRunner.Plan(project: project, datasets: selected, stages: stages, force: body.force ?? false,
                                      runDate: body.runDate,
                                      batchName: body.batchName ?? "datasets \(wanted), \(stages.rawValue)",
                                      actor: actor, batchId: "bat-" + MessageID.random(),
                                      jobId: { _ in "job-" + MessageID.random() }, causationId: nil)
        let runtime = self.runtime
        let run = try await runtime.transaction { connection, emitter in
            try await DatasetRunner(runtime: runtime).run(plan, connection: connection, emitter: emitter)
        }
        guard run.batch != nil else {
            throw Problem(.conflict, "gateway.nothing-to-run", "no selected dataset can run \(stages.rawValue): "
                          + run.notRun.map { "\($0.dataset): \($0.reason)" }.joined(separator: "; "))
        }
        return run
    }

    private func withLastJobs(_ list: [Dataset]) async throws -> [Dataset] {
        guard let project = list.first?.project else { return list }
        let latest = try await jobRoutes.jobs.latestJobs(ofDatasets: list.map(\.key), project: project)
        return list.map { dataset in
            var shown = dataset
            shown.lastJob = latest[dataset.key]
            return shown
        }
    }

    private func found(_ project: String, _ name: String) async throws -> Dataset {
        guard let dataset = try await datasets.find(project: project, name: name) else {
            throw Problem.notFound("dataset \(project)/\(name)")
        }
        return dataset
    }

    private func existingProject(_ context: SluiceRequestContext, _ access: Access) async throws -> String {
        let project = try access.enterProject(context)
        guard try await jobRoutes.identity.project(project) != nil else { throw Problem.notFound("project \(project)") }
        return project
    }

    private func dataset(_ context: SluiceRequestContext, _ access: Access) async throws -> Dataset {
        let project = try access.enterProject(context)
        let name = try context.path("dataset")
        access.target("\(project)/\(name)")
        return try await found(project, name)
    }
}
