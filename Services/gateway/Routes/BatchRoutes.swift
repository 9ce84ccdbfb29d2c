import APIModels
import Contracts
import Foundation
import Hosting
import Hummingbird
import PostgresNIO
import Runtime

/// Batches (docs/job-control.md#batches): many jobs grouped, their aggregate progress,
/// statistics and status, pause, resume and cancel of all their jobs, and a callback through
/// notify when the last one has ended.
struct BatchRoutes {
    let api: GatewayAPI
    let runtime: RuntimeContext
    let jobRoutes: JobRoutes

    var batches: BatchRepository { BatchRepository(runtime: runtime) }

    func add() {
        api.add("createBatch") { request, _, access in
            let buffer = try await BodyReader.bytes(request, limit: 32 << 20)
            let data = Data(buffer.readableBytesView)
            // The project first, leniently: 404 and 403 come before any complaint about the body.
            _ = try jobRoutes.resolveProject(JobRoutes.ProjectField.named(in: data), access: access)
            let body = try BodyReader.decode(NewBatch.self, data)
            guard !body.name.isEmpty, body.name.count <= 200 else {
                throw Problem.badRequest("gateway.invalid-batch", "a batch needs a name of 1–200 characters")
            }
            guard (body.jobs?.count ?? 0) <= 10_000 else {
                throw Problem.badRequest("gateway.batch-too-large", "at most 10,000 jobs per request; make an open batch and add more")
            }
            let caller = try access.user
            let project = try jobRoutes.resolveProject(body.project, access: access)
            guard try await jobRoutes.identity.project(project) != nil else { throw Problem.notFound("project \(project)") }
            try JobRoutes.checkTargets(body.notify)
            let id = "bat-" + MessageID.random()
            access.target(id)
            try await batches.create(id: id, project: project, name: body.name, submitter: caller.userName, notify: body.notify,
                                     open: true, at: Date())
            if let jobs = body.jobs {
                for (index, job) in jobs.enumerated() {
                    var member = job
                    member.project = project
                    member.batch = id
                    do {
                        _ = try await jobRoutes.submit(member, request: request, access: access, digest: nil, idempotent: false)
                    } catch let problem as Problem {
                        throw Problem(problem.status, problem.code, "job \(index + 1) of the batch was refused: \(problem.detail) "
                                      + "(batch \(id) holds the \(index) before it and is still open)")
                    }
                }
                try await close(id)
            }
            var response = HTTPResponses.json(try await batches.find(id), status: .created)
            response.headers[.location] = "/api/v1/batches/\(id)"
            return response
        }
        api.add("listBatches") { request, _, access in
            let caller = try access.user
            let projects = try caller.projectFilter(request.query("project")).map { Array($0) }
            let state = request.query("state")
            if let state, !["open", "running", "completed", "failed", "cancelled"].contains(state) {
                throw Problem.badRequest("request.invalid-parameter", "state must be open, running, completed, failed or cancelled")
            }
            return HTTPResponses.json(try await batches.list(projects: projects, state: state,
                                                             limit: try request.query("limit", in: 1...500, fallback: 50)))
        }
        api.add("getBatch") { _, context, access in
            let batch = try await find(context, access)
            return HTTPResponses.json(BatchDetail(batch: batch, jobs: try await jobRoutes.jobs.inBatch(batch.id, limit: 1000)))
        }
        api.add("closeBatch") { _, context, access in
            let batch = try await find(context, access)
            try await close(batch.id)
            return HTTPResponses.json(try await batches.find(batch.id) ?? batch)
        }
        for action in JobControl.Action.allCases {
            api.add("\(action.rawValue)Batch") { request, context, access in
                let batch = try await find(context, access)
                let body = try await JobControlRoutes.body(request)
                let caller = try access.user
                let runtime = self.runtime
                try await runtime.transaction { connection, emitter in
                    if action == .cancel {
                        return try await Self.cancel(batch, actor: caller.userName, note: body.note, runtime: runtime,
                                                     connection: connection, emitter: emitter)
                    }
                    let ids = try await BatchRepository(runtime: runtime, connection: connection).jobIds(batch.id)
                    let jobs = JobRepository(runtime: runtime, connection: connection, emitter: emitter)
                    _ = try await JobControlRoutes.controlJobs(ids, action, project: batch.project, actor: caller.userName,
                                                               note: body.note, sendingJobControls: true, jobs: jobs,
                                                               emitter: emitter)
                }
                return HTTPResponses.json(try await batches.find(batch.id) ?? batch)
            }
        }
    }

    /// Cancels a batch in `connection`'s transaction: it takes no more jobs, each of its jobs
    /// that has not ended is cancelled (a `job.control` each), and it finishes once they have.
    /// An operator's cancel and a schedule's (a `batch`-scope `job.control`) both come here.
    static func cancel(_ batch: Batch, actor: String, note: String?, runtime: RuntimeContext,
                       connection: PostgresConnection, emitter: Emitter) async throws {
        let batches = BatchRepository(runtime: runtime, connection: connection)
        // The jobs' rows before the batch's, the order a job's end takes them in (its row, then
        // its batch's to settle it), so the two rarely deadlock; when they do, PostgreSQL picks
        // one and it runs again (`RuntimeContext.transaction`, or the handler's retry). Marked
        // before any job is cancelled, so a job whose cancel ends it settles it as cancelled.
        try await batches.lockJobs(batch.id)
        try await batches.markCancelled(batch.id, at: Date())
        try await batches.closeOnly(batch.id, at: Date())
        let jobs = JobRepository(runtime: runtime, connection: connection, emitter: emitter)
        _ = try await JobControlRoutes.controlJobs(try await batches.jobIds(batch.id), .cancel, project: batch.project,
                                                   actor: actor, note: note, sendingJobControls: true, jobs: jobs,
                                                   emitter: emitter)
        try await batches.settle(batch.id, at: Date(), emitter: emitter)
    }

    private func close(_ id: String) async throws {
        let runtime = self.runtime
        try await runtime.transaction { connection, emitter in
            try await BatchRepository(runtime: runtime, connection: connection).close(id, at: Date(), emitter: emitter)
        }
    }

    private func find(_ context: SluiceRequestContext, _ access: Access) async throws -> Batch {
        let id = try context.path("batch")
        guard let batch = try await batches.find(id) else { throw Problem.notFound("batch \(id)") }
        try access.enter(batch.project, "batch \(id)")
        access.target(id)
        return batch
    }
}
