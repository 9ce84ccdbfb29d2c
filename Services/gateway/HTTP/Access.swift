import Foundation
import Hosting

/// One request's authorization, in the order that hides what a caller may not see: first
/// whether the object's project is visible (else 404), then whether the role may do the
/// operation (else 403). Handlers of scoped operations call ``enter(_:_:)`` once they know
/// the object's project; the API wrapper checks the permission itself for the others.
final class Access: @unchecked Sendable {
    let operation: Operation
    let caller: Caller?
    private let lock = NSLock()
    private var _project: String?
    private var _target: String?
    private var _entered = false

    init(operation: Operation, caller: Caller?) {
        self.operation = operation
        self.caller = caller
    }

    /// The signed-in caller (every operation but the public ones has one).
    var user: Caller {
        get throws {
            guard let caller else { throw Problem.unauthorized() }
            return caller
        }
    }

    /// The object is in `project`: 404 (as `what`) unless the caller sees it, then 403
    /// unless their role has the operation's permission.
    func enter(_ project: String, _ what: String) throws {
        let caller = try user
        try caller.requireProject(project, what)
        try caller.require(operation.permission)
        lock.withLock {
            _project = project
            _entered = true
        }
    }

    /// Names the object acted on, for the audit log.
    func target(_ target: String) { lock.withLock { _target = target } }

    var project: String? { lock.withLock { _project } }
    var targetName: String? { lock.withLock { _target } }
    var entered: Bool { lock.withLock { _entered } }
}

extension Access {
    /// Enters the project named in the path (`{project}`) and returns it: the routes of a
    /// project's definitions, reference tables, datasets and limits begin so.
    func enterProject(_ context: SluiceRequestContext) throws -> String {
        let project = try context.path("project")
        try enter(project, "project \(project)")
        return project
    }
}
