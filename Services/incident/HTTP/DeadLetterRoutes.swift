import APIModels
import Contracts
import Foundation
import Hosting
import Hummingbird
import Runtime

/// `/dead-letters`: search (by incident, job, correlation id, service, message type, error
/// type or text, state, time range, header value), show one in full, re-drive a selection,
/// discard with a reason.
enum DeadLetterRoutes {
    static func add(to router: Router<SluiceRequestContext>, runtime: RuntimeContext, settings: IncidentSettings) {
        let repository = DeadLetterRepository(runtime: runtime)
        let desk = DeadLetterDesk(runtime: runtime, settings: settings)
        router.get("dead-letters") { request, _ in
            try await IncidentHTTP.respond {
                HTTPResponses.json(try await repository.search(try filter(request)))
            }
        }
        router.get("dead-letters/:id") { _, context in
            try await IncidentHTTP.respond {
                let id = try context.parameters.require("id")
                guard let detail = try await repository.detail(id) else {
                    throw SluiceError.permanent("dead-letter.not-found", "there is no dead letter \(id)")
                }
                return HTTPResponses.json(detail)
            }
        }
        router.post("dead-letters/redrive") { request, _ in
            try await IncidentHTTP.respond {
                let body = try await IncidentHTTP.decode(RedriveRequest.self, request)
                let plan = try await desk.redrive(body, actor: IncidentHTTP.actor(request))
                return HTTPResponses.json(plan, status: plan.dryRun ? .ok : .accepted)
            }
        }
        router.post("dead-letters/discard") { request, _ in
            try await IncidentHTTP.respond {
                let body = try await IncidentHTTP.decode(DiscardBody.self, request)
                let discarded = try await desk.discard(ids: body.ids ?? [], incidentId: body.incidentId, reason: body.reason,
                                                       actor: IncidentHTTP.actor(request))
                return HTTPResponses.json(DiscardResult(discarded: discarded))
            }
        }
    }

    static func filter(_ request: Request) throws -> DeadLetterFilter {
        let q = request.uri.queryParameters
        var filter = DeadLetterFilter()
        filter.incidentId = q.get("incident")
        filter.jobId = q.get("job")
        filter.correlationId = q.get("correlation")
        filter.service = q.get("service")
        filter.messageType = q.get("type")
        filter.errorType = q.get("error-type")
        filter.errorText = q.get("error")
        filter.state = q.get("state")
        filter.since = try IncidentHTTP.time(request, "since")
        filter.until = try IncidentHTTP.time(request, "until")
        if let header = q.get("header") {
            guard let eq = header.firstIndex(where: { $0 == "=" || $0 == ":" }), eq != header.startIndex else {
                throw SluiceError.permanent("request.invalid-header-filter",
                                            "header filters look like name=value, e.g. x-sluice-job-id=job-1")
            }
            filter.header = (String(header[..<eq]), String(header[header.index(after: eq)...]))
        }
        filter.limit = IncidentHTTP.limit(request, default: 100)
        return filter
    }
}
