/// A user's role, from most to least powerful (extending the control room's admin /
/// moderator / user). What each may do is ``Permission/roles``; the table in `docs/access.md`
/// states the same and the access tests check the gateway cell by cell against it.
enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    /// Everything, users and tokens included; every project.
    case admin
    /// Runs the system: incidents, dead letters, re-drives, known errors, schedules, submits;
    /// every project.
    case `operator`
    /// Submits, views and downloads within their projects, runs schedules.
    case member
    /// Reads within their projects.
    case viewer

    private var rank: Int { Role.allCases.firstIndex(of: self)! }

    /// `a < b` when `a` may do less than `b`.
    static func < (a: Role, b: Role) -> Bool { a.rank > b.rank }

    /// Admins and operators see every project; members and viewers only their own.
    var seesAllProjects: Bool { self == .admin || self == .operator }
}
