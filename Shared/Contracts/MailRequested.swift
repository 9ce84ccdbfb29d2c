/// `mail.requested`: a service asks notify to send one email made from a template (the
/// gateway's verification and reset codes, and its notices about an account).
public struct MailRequested: MessagePayload, Hashable {
    /// The message type (routing key) this payload travels as.
    public static let messageType = MessageType.mailRequested

    /// The recipients' addresses.
    public var to: [String]
    /// The template: `verification-code`, `password-reset-code` or `password-changed`
    /// (docs/messages.md lists them and their variables).
    public var template: String
    /// The values the template fills in, e.g. `name`, `code`, `minutes`.
    public var variables: [String: String]
    /// What the delivery log is searched by (a user or job id).
    public var subject: String

    /// A request for one email.
    public init(to: [String], template: String, variables: [String: String], subject: String) {
        self.to = to
        self.template = template
        self.variables = variables
        self.subject = subject
    }
}
