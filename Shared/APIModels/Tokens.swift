import Foundation

/// An API token or sign-in session as listed (never the secret, which is shown once).
public struct TokenInfo: Codable, Sendable, Hashable {
    /// Stable id, for revocation.
    public var id: String
    /// Whose it is.
    public var user: String
    /// `api` or `session`.
    public var kind: String
    /// What it is for.
    public var name: String
    /// The prefix and first characters, to recognise it.
    public var hint: String
    /// The role it acts with (at most its user's).
    public var role: String
    /// The projects it is limited to (absent: all of its user's).
    public var projects: [String]?
    /// When it was made, when it expires, when it was last used (to the minute) and revoked.
    public var createdAt: Date
    public var expiresAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    /// A token description.
    public init(id: String, user: String, kind: String, name: String, hint: String, role: String, projects: [String]?,
                createdAt: Date, expiresAt: Date, lastUsedAt: Date?, revokedAt: Date?) {
        self.id = id
        self.user = user
        self.kind = kind
        self.name = name
        self.hint = hint
        self.role = role
        self.projects = projects
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// `POST /api/v1/tokens`: a token for the caller.
public struct NewToken: Codable, Sendable {
    /// What it is for (shown in lists).
    public var name: String
    /// Its role (default and at most the caller's).
    public var role: String?
    /// Limit it to these projects (default: all of the caller's).
    public var projects: [String]?
    /// Days until it expires (default `gateway.token.default.days`, at most `gateway.token.max.days`).
    public var expiresInDays: Int?

    /// A request.
    public init(name: String, role: String? = nil, projects: [String]? = nil, expiresInDays: Int? = nil) {
        self.name = name
        self.role = role
        self.projects = projects
        self.expiresInDays = expiresInDays
    }
}

/// A new token or session: the secret, shown this once, and its description.
public struct IssuedToken: Codable, Sendable {
    /// Send it as `Authorization: Bearer <token>`.
    public var token: String
    /// What was stored about it.
    public var info: TokenInfo

    /// An issued token.
    public init(token: String, info: TokenInfo) {
        self.token = token
        self.info = info
    }
}
