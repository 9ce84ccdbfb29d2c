import Contracts
import Messaging

/// What a service sends back when it handled a re-driven copy of a dead letter: the copy
/// carries the re-drive and dead-letter ids, and success (including "already applied")
/// becomes a `redrive.succeeded` event for the incident service. Failure needs no receipt:
/// the copy is dead-lettered again, with the same ids in its headers.
struct RedriveReceipt {
    var redriveId: String
    var deadLetterId: String
    var service: String

    init?(_ delivery: Delivery, service: String) {
        let headers = delivery.properties.headers
        guard let redrive = headers[FaultHeader.redriveId]?.stringValue,
              let deadLetter = headers[FaultHeader.deadLetterId]?.stringValue else { return nil }
        redriveId = redrive
        deadLetterId = deadLetter
        self.service = service
    }

    func envelope(causedBy head: EnvelopeHead) -> Envelope<RedriveSucceeded> {
        Envelope(id: "redrive/\(redriveId)/\(deadLetterId)/succeeded", jobId: head.jobId, correlationId: head.correlationId,
                 causationId: head.id, producer: service,
                 payload: RedriveSucceeded(redriveId: redriveId, deadLetterId: deadLetterId, service: service))
    }
}
