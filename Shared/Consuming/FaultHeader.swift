/// Header names Sluice puts on retried, dead-lettered and re-driven messages. The body is
/// never touched; everything an operator needs to understand a failure travels here.
public enum FaultHeader {
    /// Attempts made so far (the first delivery is attempt 1).
    public static let attempts = "x-sluice-attempts"
    /// The service whose handler failed.
    public static let service = "x-sluice-service"
    /// The handler (the message type it handles).
    public static let handler = "x-sluice-handler"
    /// The stable error code, e.g. `plan.not-found`.
    public static let errorType = "x-sluice-error-type"
    /// The error text.
    public static let errorText = "x-sluice-error"
    /// Where the error was raised and on which host/process (Swift errors carry no stack).
    public static let errorContext = "x-sluice-error-context"
    /// `transient` or `permanent`.
    public static let disposition = "x-sluice-disposition"
    /// The exchange the message was first published to.
    public static let originalExchange = "x-sluice-original-exchange"
    /// The routing key it was first published with.
    public static let originalRoutingKey = "x-sluice-original-routing-key"
    /// ISO-8601 time of the first failure.
    public static let firstFailure = "x-sluice-first-failure"
    /// ISO-8601 time of the latest failure.
    public static let lastFailure = "x-sluice-last-failure"
    /// The queue the failing consumer read it from (re-drives go back there).
    public static let queue = "x-sluice-queue"
    /// A deterministic id of this dead-lettering (the incident service stores it once).
    public static let failureId = "x-sluice-failure-id"
    /// How many times an operator re-drove this message.
    public static let redriveCount = "x-sluice-redrive-count"
    /// The re-drive that sent this copy.
    public static let redriveId = "x-sluice-redrive-id"
    /// The stored dead letter this copy was re-driven from.
    public static let deadLetterId = "x-sluice-dead-letter-id"

    /// Headers describing one failure, removed before a re-drive so the message starts over
    /// (fresh attempts, fresh failure times).
    public static let failureHeaders: [String] = [
        attempts, service, handler, errorType, errorText, errorContext, disposition, firstFailure, lastFailure, failureId,
        "x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason",
        "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason", "x-delivery-count",
    ]
}
