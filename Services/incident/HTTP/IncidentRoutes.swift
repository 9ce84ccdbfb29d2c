import APIModels
import Contracts
import Foundation
import Hosting
import Hummingbird
import Runtime

/// `/incidents`: list, show (with timeline), the lifecycle actions, and re-driving a whole
/// incident. `/redrives` and `/audit` for what was done.
enum IncidentRoutes {
    static func add(to router: Router<SluiceRequestContext>, runtime: RuntimeContext, settings: IncidentSettings) {
        let incidents = IncidentRepository(runtime: runtime)
        let lifecycle = IncidentLifecycle(runtime: runtime)
        // Which of these jobs an unresolved incident still refers to, and which any failure
        // refers to (`?job=a&job=b`): chunk retention keeps their chunks for a re-drive.
        router.get("jobs/held") { request, _ in
            let ids = request.uri.queryParameters.getAll("job").prefix(1000).map { String($0) }
            return HTTPResponses.json(try await DeadLetterRepository(runtime: runtime).heldJobs(ids))
        }
        router.get("incidents") { request, _ in
            let q = request.uri.queryParameters
            return HTTPResponses.json(try await incidents.list(state: q.get("state"), service: q.get("service"),
                                                               severity: q.get("severity"), text: q.get("q"),
                                                               limit: IncidentHTTP.limit(request, default: 100)))
        }
        router.get("incidents/:id") { _, context in
            try await IncidentHTTP.respond {
                let id = try context.parameters.require("id")
                guard let incident = try await incidents.get(id) else {
                    throw SluiceError.permanent("incident.not-found", "there is no incident \(id)")
                }
                return HTTPResponses.json(IncidentDetail(
                    incident: incident, timeline: try await Timeline(runtime: runtime).events(id),
                    deadLetters: try await DeadLetterRepository(runtime: runtime).stateCounts(incidentId: id),
                    redrives: try await RedriveRepository(runtime: runtime).list(incidentId: id)))
            }
        }
        func action(_ path: String, _ make: @escaping @Sendable (Request) async throws -> IncidentLifecycle.Action) {
            router.post("incidents/:id/\(path)") { request, context in
                try await IncidentHTTP.respond {
                    let id = try context.parameters.require("id")
                    let action = try await make(request)
                    return HTTPResponses.json(try await lifecycle.perform(action, on: id, actor: IncidentHTTP.actor(request)))
                }
            }
        }
        action("assign") { request in
            let body = try await IncidentHTTP.decode(AssignBody.self, request)
            guard !body.assignee.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw SluiceError.permanent("incident.empty-assignee", "say who the incident is assigned to")
            }
            return .assign(body.assignee)
        }
        action("start") { _ in .start }
        action("resolve") { request in
            let body = try await IncidentHTTP.decodeIfPresent(AnalysisBody.self, request) ?? AnalysisBody()
            return .resolve(rootCause: body.rootCause, correctiveAction: body.correctiveAction, impact: body.impact)
        }
        action("archive") { _ in .archive }
        action("reopen") { _ in .reopen }
        action("analysis") { request in
            let body = try await IncidentHTTP.decode(AnalysisBody.self, request)
            return .analysis(rootCause: body.rootCause, correctiveAction: body.correctiveAction, impact: body.impact)
        }
        action("notes") { request in .note(try await IncidentHTTP.decode(NoteBody.self, request).text) }
        router.post("incidents/:id/redrive") { request, context in
            try await IncidentHTTP.respond {
                var body = try await IncidentHTTP.decodeIfPresent(RedriveRequest.self, request) ?? RedriveRequest()
                body.incidentId = try context.parameters.require("id")
                body.deadLetterIds = nil
                let plan = try await DeadLetterDesk(runtime: runtime, settings: settings)
                    .redrive(body, actor: IncidentHTTP.actor(request))
                return HTTPResponses.json(plan, status: plan.dryRun ? .ok : .accepted)
            }
        }
        router.get("redrives") { request, _ in
            HTTPResponses.json(try await RedriveRepository(runtime: runtime).list(incidentId: request.uri.queryParameters.get("incident")))
        }
        router.get("redrives/:id") { _, context in
            try await IncidentHTTP.respond {
                let id = try context.parameters.require("id")
                guard let redrive = try await runtime.database.transaction({
                    try await RedriveRepository(runtime: runtime).get(id, on: $0)
                }) else { throw SluiceError.permanent("redrive.not-found", "there is no re-drive \(id)") }
                return HTTPResponses.json(redrive)
            }
        }
        router.post("redrives/:id/stop") { request, context in
            try await IncidentHTTP.respond {
                let id = try context.parameters.require("id")
                return HTTPResponses.json(try await DeadLetterDesk(runtime: runtime, settings: settings)
                    .stop(id, actor: IncidentHTTP.actor(request)))
            }
        }
        router.get("audit") { request, _ in
            HTTPResponses.json(try await Timeline(runtime: runtime).auditLog(target: request.uri.queryParameters.get("target"),
                                                                            limit: IncidentHTTP.limit(request, default: 200)))
        }
    }
}

