/// Who is asking, once their token checked out: the user, the role they act with (the
/// lower of the user's and the token's) and the projects they may see (nil: all).
struct Caller: Sendable {
    var userId: String
    var userName: String
    var role: Role
    var projects: Set<String>?
    var tokenId: String
    var kind: APIToken.Kind

    /// Whether objects of `project` exist for this caller (if not, they get 404, never 403).
    func sees(_ project: String) -> Bool { projects?.contains(project) ?? true }

    /// Throws 404 unless the caller sees `project`; `what` names the object in the message.
    func requireProject(_ project: String, _ what: String) throws {
        guard sees(project) else { throw Problem.notFound(what) }
    }

    /// Throws 403 unless the caller's role has `permission`.
    func require(_ permission: Permission) throws {
        guard permission.allows(role) else { throw Problem.forbidden(permission) }
    }

    /// The projects a list is limited to: `asked` if given (404 if not visible), else all
    /// visible ones (nil: no limit).
    func projectFilter(_ asked: String?) throws -> Set<String>? {
        if let asked {
            try requireProject(asked, "project \(asked)")
            return [asked]
        }
        return projects
    }

    /// The effective scope of a token of `tokenRole` limited to `tokenProjects`, for a user of
    /// `userRole` in `memberships`: what it may do is the lower role; what it may see is the
    /// user's projects (all for admins and operators), narrowed to the token's.
    static func scope(userRole: Role, tokenRole: Role, memberships: [String],
                      tokenProjects: [String]?) -> (Role, Set<String>?) {
        let role = min(userRole, tokenRole)
        var projects: Set<String>? = userRole.seesAllProjects ? nil : Set(memberships)
        if let tokenProjects {
            projects = projects.map { $0.intersection(tokenProjects) } ?? Set(tokenProjects)
        }
        return (role, projects)
    }
}
