import Foundation
import Hosting
import Hummingbird
import NIOHTTP1

/// Incidents, dead letters, re-drives and known errors: the incident service's API, passed
/// through with the signed-in user as the actor (the incident service trusts
/// `X-Sluice-Actor` only because its API is internal). These objects are system-wide.
struct OperationsRoutes {
    let api: GatewayAPI
    let client: InternalClient

    /// Operation id → the incident service's path, `{x}` filled from the request's path.
    static let passThrough: [(String, String)] = [
        ("listIncidents", "/incidents"), ("getIncident", "/incidents/{incident}"),
        ("assignIncident", "/incidents/{incident}/assign"), ("startIncident", "/incidents/{incident}/start"),
        ("resolveIncident", "/incidents/{incident}/resolve"), ("archiveIncident", "/incidents/{incident}/archive"),
        ("reopenIncident", "/incidents/{incident}/reopen"), ("setIncidentAnalysis", "/incidents/{incident}/analysis"),
        ("addIncidentNote", "/incidents/{incident}/notes"), ("redriveIncident", "/incidents/{incident}/redrive"),
        ("listDeadLetters", "/dead-letters"), ("getDeadLetter", "/dead-letters/{deadLetter}"),
        ("redriveDeadLetters", "/dead-letters/redrive"), ("discardDeadLetters", "/dead-letters/discard"),
        ("listRedrives", "/redrives"), ("getRedrive", "/redrives/{redrive}"), ("stopRedrive", "/redrives/{redrive}/stop"),
        ("listKnownErrors", "/known-errors"), ("createKnownError", "/known-errors"), ("testKnownError", "/known-errors/test"),
        ("updateKnownError", "/known-errors/{knownError}"), ("deleteKnownError", "/known-errors/{knownError}"),
    ]

    func add() {
        for (id, template) in Self.passThrough {
            guard let operation = OperationTable.byId[id] else { fatalError("unknown operation \(id)") }
            api.add(id) { request, context, access in
                var path = template
                for (name, _) in context.parameters {
                    path = path.replacingOccurrences(of: "{\(name)}", with: JobRoutes.escape(try context.path(String(name))))
                }
                let body = operation.mutates ? try await BodyReader.bytes(request, limit: 1 << 20) : nil
                return try await client.forward("incident", HTTPMethod(rawValue: operation.method.rawValue), path,
                                                query: request.uri.query, body: body?.readableBytes == 0 ? nil : body,
                                                actor: try access.user.userName)
            }
        }
    }
}
