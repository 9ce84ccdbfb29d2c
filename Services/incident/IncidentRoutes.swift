import Hummingbird
import ServiceRuntime

/// `GET /incidents[?state=open]`, `GET /incidents/:id`, `GET /dead-letters[?incident=&job=]`.
enum IncidentRoutes {
    static func add(to router: Router<BasicRequestContext>, runtime: RuntimeContext) {
        let repository = IncidentRepository(runtime: runtime)
        router.get("incidents") { request, _ in
            HTTPResponses.json(try await repository.incidents(state: request.uri.queryParameters.get("state")))
        }
        router.get("incidents/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let incident = try await repository.incidents(state: nil).first(where: { $0.id == id }) else {
                return HTTPResponses.error(.notFound, "incident.not-found", "no incident \(id)")
            }
            return HTTPResponses.json(incident)
        }
        router.get("dead-letters") { request, _ in
            let query = request.uri.queryParameters
            return HTTPResponses.json(try await repository.failures(incidentId: query.get("incident"),
                                                                    jobId: query.get("job"), limit: 500))
        }
    }
}
