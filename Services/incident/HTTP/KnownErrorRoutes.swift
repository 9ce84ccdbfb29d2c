import APIModels
import Contracts
import Foundation
import Hosting
import Hummingbird
import Runtime

/// `/known-errors`: the catalog. Adding, changing or deleting a rule re-matches every
/// incident that is not archived; `POST /known-errors/test` tries a rule on stored failures
/// without saving it.
enum KnownErrorRoutes {
    static func add(to router: Router<SluiceRequestContext>, runtime: RuntimeContext) {
        let desk = KnownErrorDesk(runtime: runtime)
        router.get("known-errors") { _, _ in
            HTTPResponses.json(try await KnownErrorRepository(runtime: runtime).all())
        }
        router.post("known-errors") { request, _ in
            try await IncidentHTTP.respond {
                let draft = try await IncidentHTTP.decode(KnownErrorRule.Draft.self, request)
                guard draft.id != nil else {
                    throw SluiceError.permanent("known-error.invalid", "a rule needs an id, e.g. \"id\": \"vendor-timeouts\"")
                }
                return HTTPResponses.json(try await desk.add(draft.rule, actor: IncidentHTTP.actor(request)), status: .created)
            }
        }
        router.put("known-errors/:id") { request, context in
            try await IncidentHTTP.respond {
                // A partial update: fields left out keep their value; "" clears an optional one.
                let id = try context.parameters.require("id")
                let draft = try await IncidentHTTP.decode(KnownErrorRule.Draft.self, request)
                guard let stored = try await KnownErrorRepository(runtime: runtime).all().first(where: { $0.id == id }) else {
                    throw SluiceError.permanent("known-error.not-found", "there is no rule '\(id)'")
                }
                return HTTPResponses.json(try await desk.update(draft.applied(to: stored), actor: IncidentHTTP.actor(request)))
            }
        }
        router.delete("known-errors/:id") { request, context in
            try await IncidentHTTP.respond {
                try await desk.delete(try context.parameters.require("id"), actor: IncidentHTTP.actor(request))
                return Response(status: .noContent)
            }
        }
        router.post("known-errors/test") { request, _ in
            try await IncidentHTTP.respond {
                let rule = try await IncidentHTTP.decode(KnownErrorRule.Draft.self, request).rule
                return HTTPResponses.json(try await desk.test(rule, limit: IncidentHTTP.limit(request, default: 10_000, max: 100_000)))
            }
        }
    }
}

extension KnownErrorRule {
    /// A rule as sent over HTTP. Creating one needs `id`, `title`, `severity` and a pattern;
    /// a `PUT` changes only the fields it gives.
    public struct Draft: Codable, Sendable {
        public var id: String?
        public var errorPattern: String?
        public var errorTypePattern: String?
        public var servicePattern: String?
        public var messageTypePattern: String?
        public var severity: String?
        public var title: String?
        public var rootCause: String?
        public var action: String?
        public var runbook: String?
        public var priority: Int?
        public var enabled: Bool?

        public init(id: String? = nil, errorPattern: String? = nil, errorTypePattern: String? = nil,
                    servicePattern: String? = nil, messageTypePattern: String? = nil, severity: String? = nil,
                    title: String? = nil, rootCause: String? = nil, action: String? = nil, runbook: String? = nil,
                    priority: Int? = nil, enabled: Bool? = nil) {
            self.id = id
            self.errorPattern = errorPattern
            self.errorTypePattern = errorTypePattern
            self.servicePattern = servicePattern
            self.messageTypePattern = messageTypePattern
            self.severity = severity
            self.title = title
            self.rootCause = rootCause
            self.action = action
            self.runbook = runbook
            self.priority = priority
            self.enabled = enabled
        }

        /// `rule` with the fields this draft gives; an empty string clears an optional field.
        func applied(to rule: KnownErrorRule) -> KnownErrorRule {
            func merge(_ new: String?, _ old: String?) -> String? {
                guard let new else { return old }
                return new.isEmpty ? nil : new
            }
            var result = rule
            result.errorPattern = merge(errorPattern, rule.errorPattern)
            result.errorTypePattern = merge(errorTypePattern, rule.errorTypePattern)
            result.servicePattern = merge(servicePattern, rule.servicePattern)
            result.messageTypePattern = merge(messageTypePattern, rule.messageTypePattern)
            result.severity = severity ?? rule.severity
            result.title = title ?? rule.title
            result.rootCause = merge(rootCause, rule.rootCause)
            result.action = merge(action, rule.action)
            result.runbook = merge(runbook, rule.runbook)
            result.priority = priority ?? rule.priority
            result.enabled = enabled ?? rule.enabled
            return result
        }

        var rule: KnownErrorRule {
            KnownErrorRule(id: id ?? "draft", errorPattern: errorPattern, errorTypePattern: errorTypePattern,
                           servicePattern: servicePattern, messageTypePattern: messageTypePattern,
                           severity: severity ?? "", title: title ?? "", rootCause: rootCause,
                           action: action, runbook: runbook, priority: priority ?? 100, enabled: enabled ?? true)
        }
    }
}
