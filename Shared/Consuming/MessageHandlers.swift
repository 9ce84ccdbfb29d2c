import Contracts
import Messaging
import Runtime
import Toolkit

/// A service's handlers, keyed by message type. Registered once in the composition root.
public struct MessageHandlers: Sendable {
    /// Each handler first decodes and checks the body against the head it was routed by
    /// (before any transaction or inbox claim, so a body that disagrees is refused, never
    /// mistaken for a duplicate), giving the body's own head and the work to run.
    enum Handler: Sendable {
        /// Runs in a transaction that also records the inbox entry and the outbox rows,
        /// after an optional first part outside it (slow I/O that must not hold a transaction).
        case transactional(@Sendable ([UInt8], EnvelopeHead) throws
            -> (EnvelopeHead, (@Sendable (RuntimeContext) async throws -> Void)?, @Sendable (HandlerContext) async throws -> Void))
        /// Manages its own idempotency (large, re-derivable outputs such as ingest's chunks).
        /// The work's last argument is the incoming `traceparent`.
        case direct(@Sendable ([UInt8], EnvelopeHead) throws
            -> (EnvelopeHead, @Sendable (RuntimeContext, String?) async throws -> Void))
    }

    var handlers: [MessageType: Handler] = [:]
    var deadLetter: (@Sendable (Delivery, RuntimeContext) async throws -> Void)?

    /// Whether fresh deliveries may be handled many in one transaction (one commit for the
    /// lot; a batch that fails is handled one by one). On for observers; a stage worker turns
    /// it on when its handlers' effects outside the database can be repeated harmlessly
    /// (chunk objects under deterministic keys), never for one that calls out (notify).
    public var batchesDeliveries: Bool {
        get { batching ?? observesOnly }
        set { batching = newValue }
    }
    private var batching: Bool?

    /// A passive observer (metrics binds every key) does not dead-letter messages it cannot
    /// read: their owning consumer does that, and one bad message must not become one
    /// incident per observer. Observers count such messages
    /// (`sluice_messages_rejected_total`), log them and ack them.
    public var observesOnly = false
    /// Whether an observer binds every routing key (`#`, as metrics does) or only the types
    /// it has handlers for (the gateway's job read model).
    public var observesEverything = true

    /// No handlers yet.
    public init() {}

    /// The message types handled.
    public var types: [MessageType] { Array(handlers.keys) }

    /// Whether anything is consumed at all.
    public var isEmpty: Bool { handlers.isEmpty && deadLetter == nil }

    /// The routing keys the service's queue binds: every type with a handler, or all (`#`)
    /// for an observer. Derived, never written down, so a new handler is bound by itself.
    public var bindingKeys: [String] {
        observesOnly && observesEverything ? ["#"] : handlers.keys.map(\.rawValue).sorted()
    }

    /// Whether the service does stage work and so obeys operators' job controls (it gets a
    /// control queue and holds or drops the work of paused or cancelled jobs).
    public var obeysJobControls: Bool { !observesOnly && SluiceTopology.hasLanes(bindingKeys) }

    /// Whether the service also consumes every service's dead-letter queue (the incident service).
    public var consumesDeadLetters: Bool { deadLetter != nil }

    /// Handles `P` in a transaction: the inbox record, the handler's writes and the messages
    /// it emits commit together; a duplicate delivery never reaches the handler.
    public mutating func on<P: MessagePayload>(_ type: P.Type,
        _ body: @escaping @Sendable (Envelope<P>, HandlerContext) async throws -> Void) {
        handlers[P.messageType] = .transactional { bytes, head in
            let envelope = try Self.decode(P.self, bytes, head: head)
            return (envelope.head, nil, { context in try await body(envelope, context) })
        }
    }

    /// Handles `P` in two parts: `prepare` outside any transaction (slow work such as a call
    /// step's HTTP requests, which must be safe to repeat: it runs again on a redelivery, even
    /// of a duplicate), then `body` with its result in the transaction, as ``on(_:_:)``.
    public mutating func on<P: MessagePayload, Prepared: Sendable>(_ type: P.Type,
        prepare: @escaping @Sendable (Envelope<P>, RuntimeContext) async throws -> Prepared,
        _ body: @escaping @Sendable (Envelope<P>, Prepared, HandlerContext) async throws -> Void) {
        handlers[P.messageType] = .transactional { bytes, head in
            let envelope = try Self.decode(P.self, bytes, head: head)
            let prepared = LockedValue<Prepared?>(nil)
            return (envelope.head, { runtime in prepared.set(try await prepare(envelope, runtime)) }, { context in
                guard let value = prepared.get() else { preconditionFailure("the prepared part did not run") }
                try await body(envelope, value, context)
            })
        }
    }

    /// Handles `P` without a surrounding transaction; the handler must be idempotent itself.
    /// The last argument is the incoming W3C `traceparent`, if any.
    public mutating func onDirect<P: MessagePayload>(_ type: P.Type,
        _ body: @escaping @Sendable (Envelope<P>, RuntimeContext, String?) async throws -> Void) {
        handlers[P.messageType] = .direct { bytes, head in
            let envelope = try Self.decode(P.self, bytes, head: head)
            return (envelope.head, { context, trace in try await body(envelope, context, trace) })
        }
    }

    /// Handles raw deliveries from dead-letter queues (the incident service).
    public mutating func onDeadLetter(_ body: @escaping @Sendable (Delivery, RuntimeContext) async throws -> Void) {
        deadLetter = body
    }

    /// The delivery's one JSON decode. The head it was routed by may have come from the AMQP
    /// properties (``EnvelopeCheck``); the body is the message, so they must agree.
    static func decode<P: MessagePayload>(_ type: P.Type, _ bytes: [UInt8], head: EnvelopeHead) throws -> Envelope<P> {
        let envelope: Envelope<P>
        do {
            envelope = try JSONCoding.decode(Envelope<P>.self, from: bytes)
        } catch {
            // Only on failure: is it not an envelope at all, another message than the
            // properties say (routed to the wrong handler), or a payload off its schema?
            let bodyHead: EnvelopeHead
            do { bodyHead = try JSONCoding.decode(EnvelopeHead.self, from: bytes) } catch {
                throw SluiceError.permanent("message.undecodable", "the body is not a Sluice JSON envelope: \(describe(error))")
            }
            try EnvelopeCheck.agree(head, bodyHead)
            throw SluiceError.permanent("message.invalid-payload",
                                        "\(P.messageType.rawValue) payload does not match its schema: \(describe(error))")
        }
        try EnvelopeCheck.agree(head, envelope.head)
        return envelope
    }
}
