import Foundation

/// A user as the gateway shows it (never with a password or its hash).
public struct UserAccount: Codable, Sendable, Hashable {
    /// Stable id.
    public var id: String
    /// Sign-in name (unique).
    public var name: String
    /// Where codes and notices are mailed (unique, case-insensitively).
    public var email: String
    /// `admin`, `operator`, `member` or `viewer` (docs/access.md).
    public var role: String
    /// The projects the user belongs to.
    public var projects: [String]
    /// Whether the email address was confirmed with a code.
    public var verified: Bool
    /// Disabled users cannot sign in and their tokens stop working.
    public var disabled: Bool
    /// When the account was made.
    public var createdAt: Date

    /// A user.
    public init(id: String, name: String, email: String, role: String, projects: [String], verified: Bool,
                disabled: Bool, createdAt: Date) {
        self.id = id
        self.name = name
        self.email = email
        self.role = role
        self.projects = projects
        self.verified = verified
        self.disabled = disabled
        self.createdAt = createdAt
    }
}

/// `POST /api/v1/users` (admin).
public struct NewUser: Codable, Sendable {
    /// Sign-in name: letters, digits, `.`, `_`, `-`, `@`.
    public var name: String
    /// Email address.
    public var email: String
    /// The role (default `member`).
    public var role: String?
    /// Projects to join.
    public var projects: [String]?
    /// The first password (at least 12 characters); absent: the user sets one by reset code.
    public var password: String?

    /// A request.
    public init(name: String, email: String, role: String? = nil, projects: [String]? = nil, password: String? = nil) {
        self.name = name
        self.email = email
        self.role = role
        self.projects = projects
        self.password = password
    }
}

/// `PATCH /api/v1/users/{user}` (admin): only the fields given change.
public struct UserChange: Codable, Sendable {
    /// New email address.
    public var email: String?
    /// New role.
    public var role: String?
    /// The complete new list of projects.
    public var projects: [String]?
    /// Disable (revoking every session and token) or enable.
    public var disabled: Bool?
    /// Confirm the email address on the user's behalf (an admin who knows it is theirs).
    public var verified: Bool?

    /// A change.
    public init(email: String? = nil, role: String? = nil, projects: [String]? = nil, disabled: Bool? = nil,
                verified: Bool? = nil) {
        self.email = email
        self.role = role
        self.projects = projects
        self.disabled = disabled
        self.verified = verified
    }
}

/// A project: the tenancy boundary of jobs, schemas, plans and schedules.
public struct Project: Codable, Sendable, Hashable {
    /// Stable id: lower-case letters, digits and `-`.
    public var id: String
    /// Display name.
    public var name: String
    /// What it is for.
    public var description: String?
    /// When it was made.
    public var createdAt: Date

    /// A project.
    public init(id: String, name: String, description: String?, createdAt: Date) {
        self.id = id
        self.name = name
        self.description = description
        self.createdAt = createdAt
    }
}

/// `POST /api/v1/projects` (admin).
public struct NewProject: Codable, Sendable {
    /// Id: 1–40 lower-case letters, digits and `-`, starting with a letter or digit.
    public var id: String
    /// Display name (default: the id).
    public var name: String?
    /// What it is for.
    public var description: String?

    /// A request.
    public init(id: String, name: String? = nil, description: String? = nil) {
        self.id = id
        self.name = name
        self.description = description
    }
}

/// `POST /api/v1/auth/sign-in`.
public struct SignInRequest: Codable, Sendable {
    /// The user's name or email address.
    public var user: String
    /// The password.
    public var password: String

    /// A request.
    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }
}

/// `POST /api/v1/me/password`.
public struct PasswordChange: Codable, Sendable {
    /// The password now.
    public var current: String
    /// The new one (at least 12 characters).
    public var new: String

    /// A request.
    public init(current: String, new: String) {
        self.current = current
        self.new = new
    }
}

/// `POST /api/v1/auth/verification` and `/api/v1/auth/password-reset`: mail a code.
public struct CodeRequest: Codable, Sendable {
    /// The account's email address.
    public var email: String

    /// A request.
    public init(email: String) { self.email = email }
}

/// `POST /api/v1/auth/verification/confirm` and `/api/v1/auth/password-reset/confirm`.
public struct CodeConfirmation: Codable, Sendable {
    /// The account's email address.
    public var email: String
    /// The 8-digit code from the mail.
    public var code: String
    /// The new password (password reset only; at least 12 characters).
    public var password: String?

    /// A confirmation.
    public init(email: String, code: String, password: String? = nil) {
        self.email = email
        self.code = code
        self.password = password
    }
}
