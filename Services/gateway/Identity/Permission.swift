/// What an operation needs. Every operation of the API names one (`x-sluice-permission` in
/// the OpenAPI document); ``roles`` is the matrix of `docs/access.md`.
enum Permission: String, Sendable, CaseIterable {
    /// No credentials needed: health, the OpenAPI document, sign-in.
    case `public`
    /// Any signed-in caller, on their own account: profile, password, own tokens, sign-out.
    case `self` = "self"
    case jobsRead = "jobs.read"
    case jobsSubmit = "jobs.submit"
    /// Pause, resume and cancel jobs (of the caller's projects).
    case jobsControl = "jobs.control"
    /// Pause, resume and cancel all work of a project.
    case projectsControl = "projects.control"
    case definitionsRead = "definitions.read"
    case definitionsWrite = "definitions.write"
    case schedulesRead = "schedules.read"
    case schedulesRun = "schedules.run"
    case schedulesWrite = "schedules.write"
    /// Incidents, dead letters, re-drives, known errors, queues: system-wide, not in a project.
    case operationsRead = "operations.read"
    case operationsManage = "operations.manage"
    case auditRead = "audit.read"
    case projectsRead = "projects.read"
    case projectsWrite = "projects.write"
    case usersRead = "users.read"
    case usersWrite = "users.write"

    /// The roles granted this permission.
    var roles: Set<Role> {
        switch self {
        case .public, .self, .jobsRead, .definitionsRead, .schedulesRead, .projectsRead: Set(Role.allCases)
        case .jobsSubmit, .jobsControl, .schedulesRun: [.admin, .operator, .member]
        case .operationsRead, .operationsManage, .auditRead, .projectsControl: [.admin, .operator]
        case .definitionsWrite, .schedulesWrite, .projectsWrite, .usersRead, .usersWrite: [.admin]
        }
    }

    /// Whether `role` has it.
    func allows(_ role: Role) -> Bool { roles.contains(role) }
}
