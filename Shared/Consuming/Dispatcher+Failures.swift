import Chunks
import Contracts
import Foundation
import Logging
import Messaging
import ObjectStorage
import PostgresNIO
import Runtime
import Storage
import Toolkit

extension Dispatcher {
    /// Retries a transient failure through the delay queue for its attempt, or dead-letters
    /// the message with fault headers. The original body is kept byte for byte. If even that
    /// publish fails, the delivery is requeued: a failure is never acked away.
    func fail(_ delivery: Delivery, fault: SluiceError, attempts override: Int? = nil, logger: Logger) async -> Outcome {
        let type = Self.messageType(delivery)
        runtime.metrics.increment("sluice_messages_failed_total",
                                  ["service": runtime.service, "type": type, "disposition": fault.disposition.rawValue])
        if runtime.topology.serviceOfDeadLetterQueue(delivery.queue) != nil {
            // A dead letter we could not store: keep it in its DLQ and try again shortly.
            logger.error("cannot record dead letter; will retry", metadata: ["error": "\(fault)"])
            try? await Task.sleep(for: .seconds(1))
            return .requeue
        }
        // An observer ignores what it cannot read (the owner files it), but a message that
        // kills the observer itself is its own to dead-letter: nobody else will.
        if handlers.observesOnly && fault.disposition == .permanent && fault.code != "message.poison" {
            runtime.metrics.increment("sluice_messages_rejected_total", ["service": runtime.service, "type": type])
            logger.warning("observer ignored a message it cannot read", metadata: ["error": "\(fault)"])
            return .ack
        }
        if retryInPlace && fault.disposition == .transient {
            // Back on its own queue after a pause; redeliveries are counted, so a control that
            // keeps failing ends as poison in the DLQ, never in a queue without its handler.
            logger.warning("handler failed; requeued on its own queue", metadata: ["error": "\(fault)"])
            try? await Task.sleep(for: .milliseconds(500))
            return .requeue
        }
        let policy = policies.policy(for: type)
        let attempts = override ?? Int(delivery.properties.headers[FaultHeader.attempts]?.intValue ?? 1)
        var properties = faultProperties(delivery, fault: fault, type: type)
        let message: OutgoingMessage
        var status: OutgoingMessage?
        if fault.disposition == .transient && attempts < policy.maxAttempts {
            properties.headers[FaultHeader.attempts] = .int(Int64(attempts + 1))
            properties.expiration = String(policy.jitteredMilliseconds(afterAttempt: attempts))
            let queue = runtime.topology.retryQueue(runtime.service,
                                                    delayMilliseconds: policy.delayMilliseconds(afterAttempt: attempts))
            message = OutgoingMessage(exchange: "", routingKey: queue, body: delivery.body, properties: properties)
            runtime.metrics.increment("sluice_messages_retried_total", ["service": runtime.service, "type": type])
            status = retriedStatus(delivery, type: type, fault: fault, attempt: attempts,
                                   delayMilliseconds: Int(properties.expiration ?? "") ?? 0)
            logger.warning("handler failed; retrying", metadata: [
                "error": "\(fault)", "attempt": "\(attempts)", "retry_in_ms": "\(properties.expiration ?? "")"])
        } else {
            properties.headers[FaultHeader.attempts] = .int(Int64(attempts))
            properties.headers[FaultHeader.failureId] = .string(Self.failureId(delivery, fault: fault, attempts: attempts,
                                                                                service: runtime.service))
            properties.expiration = nil
            message = OutgoingMessage(exchange: runtime.topology.deadLetterExchange, routingKey: runtime.service,
                                      body: delivery.body, properties: properties)
            runtime.metrics.increment("sluice_messages_dead_lettered_total", ["service": runtime.service, "type": type])
            logger.error("handler failed; dead-lettered", metadata: [
                "error": "\(fault)", "attempts": "\(attempts)", "disposition": "\(fault.disposition.rawValue)"])
        }
        if Task.isCancelled { return .abandon }
        do {
            // Copies are always persistent, whatever the producer chose: a waiting retry or a
            // dead letter must survive a broker restart.
            var message = message
            message.properties.persistent = true
            try await runtime.publisher.publish(message)
            if let status {
                // Best effort: the history's note must never hold up or undo the retry itself
                // (nobody may be bound to job.status in a partial deployment).
                do { try await runtime.publisher.publish(status) } catch {
                    logger.debug("job.status not published", metadata: ["error": "\(error)"])
                }
            }
            return .ack
        } catch {
            if Task.isCancelled { return .abandon }
            logger.error("cannot retry or dead-letter; requeueing", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .milliseconds(500))
            return .requeue
        }
    }

    /// `job.status` `retried` for stage work of a job, so its history shows the wait and why.
    private func retriedStatus(_ delivery: Delivery, type: String, fault: SluiceError, attempt: Int,
                               delayMilliseconds: Int) -> OutgoingMessage? {
        guard MessageType(rawValue: type)?.isLaneWork == true,
              let jobId = delivery.properties.headers["x-sluice-job-id"]?.stringValue else { return nil }
        let status = JobStatusChanged(jobId: jobId, state: .retried, service: runtime.service, reason: fault.description,
                                      notBefore: Date().addingTimeInterval(Double(delayMilliseconds) / 1000), attempt: attempt)
        let envelope = Envelope(id: "status/\(delivery.properties.messageId ?? MessageID.random())/retried/\(attempt)",
                                jobId: jobId, correlationId: delivery.properties.correlationId ?? jobId, causationId: delivery.properties.messageId,
                                producer: runtime.service, payload: status)
        return try? OutgoingMessage.event(envelope, topology: runtime.topology)
    }

    /// The delivery's properties with the fault headers for this failure. First-failure time
    /// and original exchange/routing key survive retries; the rest describe the latest one.
    private func faultProperties(_ delivery: Delivery, fault: SluiceError, type: String) -> MessageProperties {
        let headers = delivery.properties.headers
        let now = HeaderValue.string(JSONCoding.formatTimestamp(Date()))
        var properties = delivery.properties
        properties.headers[FaultHeader.firstFailure] = headers[FaultHeader.firstFailure] ?? now
        properties.headers[FaultHeader.lastFailure] = now
        properties.headers[FaultHeader.originalExchange] = headers[FaultHeader.originalExchange] ?? .string(delivery.exchange)
        properties.headers[FaultHeader.originalRoutingKey] = headers[FaultHeader.originalRoutingKey]
            ?? .string(delivery.routingKey)
        properties.headers[FaultHeader.service] = .string(runtime.service)
        properties.headers[FaultHeader.handler] = .string(type)
        properties.headers[FaultHeader.errorType] = .string(fault.code)
        properties.headers[FaultHeader.errorText] = .string(String(fault.message.prefix(4000)))
        properties.headers[FaultHeader.errorContext] = .string(Self.context(fault, delivery: delivery))
        properties.headers[FaultHeader.disposition] = .string(fault.disposition.rawValue)
        properties.headers[FaultHeader.queue] = .string(delivery.queue)
        return properties
    }

    /// The same failure of the same delivery gets the same id: if the process dies after
    /// dead-lettering but before the ack, the redelivery fails again and the incident service
    /// sees a duplicate, not a second failure. A later failure (after a re-drive) differs.
    static func failureId(_ delivery: Delivery, fault: SluiceError, attempts: Int, service: String) -> String {
        let headers = delivery.properties.headers
        return "f-" + MessageID.hash(service, delivery.queue, delivery.properties.messageId ?? MessageID.sha256Hex(delivery.body),
                                     "\(attempts)", "\(headers[FaultHeader.redriveCount]?.intValue ?? 0)",
                                     headers[FaultHeader.redriveId]?.stringValue ?? "", fault.code)
    }

    static func context(_ fault: SluiceError, delivery: Delivery) -> String {
        let process = ProcessInfo.processInfo
        return [
            "at \(fault.origin ?? "unknown")",
            "host \(process.hostName) pid \(process.processIdentifier)",
            "queue \(delivery.queue)\(delivery.redelivered ? " (redelivered)" : "")",
        ].joined(separator: "; ")
    }

    /// Sorts an error into transient or permanent, with a stable code.
    static func classify(_ error: any Error) -> SluiceError {
        switch error {
        case let error as SluiceError:
            return error
        case let error as PSQLError:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            // Class 22 (data exception) and 23 (integrity) are about the input: retrying cannot help.
            if state.hasPrefix("22") || state.hasPrefix("23") {
                return .permanent("db.rejected-input", "database rejected the data (\(state)): \(message)")
            }
            return .transient("db.unavailable", "database error \(state.isEmpty ? "" : "(\(state)) ")\(message)")
        case let error as TransportError:
            return .transient(error.code, error.description)
        case let error as DeadlineExceeded:
            return .transient("timeout", error.description)
        case let error as ObjectStoreError:
            return (ChunkStore.fault(error) as? SluiceError) ?? .transient(error.code, error.description)
        case let error as DatabaseUnavailable:
            return .transient("db.unavailable", error.description)
        case is DecodingError:
            return .permanent("message.invalid-payload", describe(error))
        default:
            var fault = SluiceError.transient("handler.error", "\(error)")
            fault.origin = String(reflecting: type(of: error))
            return fault
        }
    }
}
