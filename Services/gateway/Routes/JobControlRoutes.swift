import APIModels
import Contracts
import Foundation
import Hosting
import Hummingbird
import Runtime

/// Pause, resume and cancel, of a job or of all work of a project, and a job's history
/// (docs/job-control.md). The read model's state machine decides what is allowed; each
/// change sends `job.control` through the outbox in the same transaction, and the stage
/// workers hold, release or drop the job's work.
struct JobControlRoutes {
    let api: GatewayAPI
    let runtime: RuntimeContext
    let jobRoutes: JobRoutes

    func add() {
        for action in JobControl.Action.allCases {
            api.add("\(action.rawValue)Job") { request, context, access in
                let job = try await jobRoutes.job(context, access)
                let body = try await Self.body(request)
                let caller = try access.user
                let runtime = self.runtime
                try await Self.refusingBadTransitions {
                    try await runtime.transaction { connection, emitter in
                        let jobs = JobRepository(runtime: runtime, connection: connection, emitter: emitter)
                        guard try await jobs.control(job.id, action, actor: caller.userName, note: body.note, at: Date()) != nil
                        else { return }
                        try emitter.emit(try await Self.control(action, .job, job.id, project: job.project,
                                                                actor: caller.userName, note: body.note, jobs: jobs))
                    }
                }
                return HTTPResponses.json(try await jobRoutes.jobs.find(job.id) ?? job)
            }
            api.add("\(action.rawValue)Project") { request, context, access in
                let project = try context.path("project")
                try access.enter(project, "project \(project)")
                access.target(project)
                let body = try await Self.body(request)
                let caller = try access.user
                let runtime = self.runtime
                let changed = try await runtime.transaction { connection, emitter in
                    let jobs = JobRepository(runtime: runtime, connection: connection, emitter: emitter)
                    if action != .cancel {
                        _ = try await jobs.setProject(project, paused: action == .pause, actor: caller.userName, note: body.note)
                        try emitter.emit(try await Self.control(action, .project, project, project: project,
                                                                actor: caller.userName, note: body.note, jobs: jobs))
                    }
                    // Pause and resume reach the stages as the project's own control; cancel, job by job.
                    return try await Self.controlJobs(try await jobs.projectJobs(project, for: action), action,
                                                      project: project, actor: caller.userName, note: body.note,
                                                      byProject: true, sendingJobControls: action == .cancel,
                                                      jobs: jobs, emitter: emitter)
                }
                return HTTPResponses.json(ProjectControlResult(project: project, state: action == .pause ? "paused" : "running",
                                                               jobs: changed))
            }
        }
        api.add("listJobEvents") { request, context, access in
            let job = try await jobRoutes.job(context, access)
            let limit = try request.query("limit", in: 1...1000, fallback: 200)
            let after = try request.query("after", in: 0...Int.max, fallback: 0)
            let events = try await jobRoutes.jobs.events(job.id, after: after, limit: limit)
            return HTTPResponses.json(JobEventPage(items: events, next: events.count == limit ? events.last?.id : nil))
        }
    }

    static func body(_ request: Request) async throws -> ControlRequest {
        let buffer = try await BodyReader.bytes(request, limit: 16 << 10)
        return buffer.readableBytes == 0 ? ControlRequest() : try BodyReader.decode(ControlRequest.self, Data(buffer.readableBytesView))
    }

    /// The control message, numbered in the order controls are given (the caller holds the
    /// job's or project's row lock).
    static func control(_ action: JobControl.Action, _ scope: JobControl.Scope, _ target: String, project: String,
                        actor: String, note: String?, jobs: JobRepository) async throws -> Envelope<JobControl> {
        let sequence = try await jobs.nextControlSequence()
        return Envelope(id: "gateway/control/\(MessageID.random())", jobId: scope == .job ? target : nil,
                        correlationId: scope == .job ? target : "project/\(project)", causationId: nil, producer: "gateway",
                        project: project, payload: JobControl(action: action, scope: scope, target: target, requestedBy: actor,
                                                              note: note, sequence: sequence))
    }

    /// Applies `action` to many jobs (a project's or a batch's), leaving out those it does not
    /// change or no longer fits (a job that ended meanwhile); returns the jobs it changed.
    static func controlJobs(_ ids: [String], _ action: JobControl.Action, project: String, actor: String, note: String?,
                            byProject: Bool = false, sendingJobControls: Bool, jobs: JobRepository,
                            emitter: Emitter) async throws -> [String] {
        var changed: [String] = []
        for id in ids {
            do {
                guard try await jobs.control(id, action, actor: actor, note: note, byProject: byProject, at: Date()) != nil
                else { continue }
            } catch is JobTransitionError {
                continue
            }
            changed.append(id)
            if sendingJobControls {
                try emitter.emit(try await control(action, .job, id, project: project, actor: actor, note: note, jobs: jobs))
            }
        }
        return changed
    }

    /// A transition the state machine forbids is a 409 naming the state.
    static func refusingBadTransitions(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let error as JobTransitionError {
            throw Problem(.conflict, error.code, error.description)
        }
    }
}
