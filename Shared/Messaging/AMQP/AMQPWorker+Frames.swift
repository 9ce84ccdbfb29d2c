import CRabbitMQ
import Foundation

extension AMQPWorker {
    /// Reads what the broker has sent: deliveries (handed over as one batch per socket read),
    /// publisher confirms and returns, and closes. Blocks at most `idleMilliseconds` waiting,
    /// and returns at once when a caller submits a command. Calling into the library here
    /// also services heartbeats, so an idle connection stays alive.
    func pump() {
        guard let session else { return }
        var deliveries: [Delivery] = []
        var waited = false
        defer {
            if !deliveries.isEmpty { deliveryContinuation?.yield(deliveries) }
            if let s = self.session { amqp_maybe_release_buffers(s.state) }
        }
        for _ in 0..<2048 {
            let buffered = amqp_frames_enqueued(session.state) != 0 || amqp_data_in_buffer(session.state) != 0
            if !buffered {
                if waited { return }
                if !deliveries.isEmpty {
                    deliveryContinuation?.yield(deliveries)
                    deliveries.removeAll()
                }
                if hasCommands { return }
                let (socketReady, woken) = pollSocket(session, milliseconds: idleMilliseconds(session))
                waited = true
                if woken && !socketReady { return }
            }
            var frame = amqp_frame_t()
            var zero = timeval(tv_sec: 0, tv_usec: 0)
            let status = amqp_simple_wait_frame_noblock(session.state, &frame, &zero)
            if status == AMQP_STATUS_TIMEOUT.rawValue { continue }
            guard status == AMQP_STATUS_OK.rawValue else {
                teardown(.connectionLost(String(cString: amqp_error_string2(status))))
                return
            }
            guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { continue }
            do {
                try handleMethod(frame, session: session, into: &deliveries)
            } catch {
                teardown(error)
                return
            }
            if self.session == nil { return }
        }
    }

    private func idleMilliseconds(_ session: AMQPSession) -> Int32 {
        // TLS may hold decrypted bytes the socket poll cannot see; keep the wait short there.
        if session.tls { return 5 }
        return Int32(max(100, min(1000, config.heartbeatSeconds * 250)))
    }

    private func pollSocket(_ session: AMQPSession, milliseconds: Int32) -> (socket: Bool, woken: Bool) {
        var fds = [pollfd(fd: session.socketFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeReadFD, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&fds, 2, milliseconds)
        guard ready > 0 else { return (false, false) }
        let woken = fds[1].revents & Int16(POLLIN) != 0
        if woken { drainWake() }
        return (fds[0].revents != 0, woken)
    }

    private func handleMethod(_ frame: amqp_frame_t, session: AMQPSession,
                              into deliveries: inout [Delivery]) throws(TransportError) {
        let method = frame.payload.method
        guard let decoded = method.decoded else { return }
        switch method.id {
        case amqp_method_number_t(AMQP_BASIC_DELIVER_METHOD):
            let d = decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            let tag = d.delivery_tag
            let redelivered = d.redelivered != 0
            let exchange = d.exchange.string
            let routingKey = d.routing_key.string
            let consumerTag = d.consumer_tag.string
            let (properties, body) = try readContent(session, frame.channel)
            let queue = queues.first { self.consumerTag($0) == consumerTag } ?? consumerTag
            deliveries.append(Delivery(deliveryTag: tag, generation: generation, queue: queue, exchange: exchange,
                                       routingKey: routingKey, redelivered: redelivered,
                                       properties: properties, body: body))
        case amqp_method_number_t(AMQP_BASIC_ACK_METHOD):
            let a = decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            confirm(a.delivery_tag, multiple: a.multiple != 0, nacked: false)
        case amqp_method_number_t(AMQP_BASIC_NACK_METHOD):
            let n = decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            confirm(n.delivery_tag, multiple: n.multiple != 0, nacked: true)
        case amqp_method_number_t(AMQP_BASIC_RETURN_METHOD):
            let r = decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            let reason = PublishFailure.Reason.unroutable(replyCode: Int(r.reply_code), replyText: r.reply_text.string,
                                                          exchange: r.exchange.string, routingKey: r.routing_key.string)
            let (properties, _) = try readContent(session, frame.channel)
            markReturned(messageId: properties.messageId, reason: reason)
        case amqp_method_number_t(AMQP_BASIC_CANCEL_METHOD):
            // The broker cancelled a consumer (its queue was deleted): reconnect re-consumes.
            throw .connectionLost("the broker cancelled a consumer")
        case amqp_method_number_t(AMQP_CHANNEL_CLOSE_METHOD):
            let c = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            var ok = amqp_channel_close_ok_t(dummy: 0)
            amqp_send_method(session.state, frame.channel, amqp_method_number_t(AMQP_CHANNEL_CLOSE_OK_METHOD), &ok)
            let error = TransportError.brokerRefused(code: Int(c.reply_code), text: c.reply_text.string)
            failAllPending(with: error)
            throw error
        case amqp_method_number_t(AMQP_CONNECTION_CLOSE_METHOD):
            let c = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            var ok = amqp_connection_close_ok_t(dummy: 0)
            amqp_send_method(session.state, 0, amqp_method_number_t(AMQP_CONNECTION_CLOSE_OK_METHOD), &ok)
            throw .connectionLost("broker closed the connection: \(c.reply_code) \(c.reply_text.string)")
        default:
            break
        }
    }

    private func readContent(_ session: AMQPSession, _ channel: amqp_channel_t) throws(TransportError)
        -> (MessageProperties, [UInt8]) {
        var message = amqp_message_t()
        let reply = amqp_read_message(session.state, channel, &message, 0)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            throw .connectionLost("reading message content: \(AMQPSession.describe(reply))")
        }
        defer { amqp_destroy_message(&message) }
        return (AMQPSession.properties(message.properties), message.body.array)
    }

    /// Resolves confirms by delivery tag. Confirms may arrive out of order (a single ack for a
    /// later tag before a multiple ack covering earlier ones), so each tag is tracked itself.
    func confirm(_ tag: UInt64, multiple: Bool, nacked: Bool) {
        let tags: [UInt64] = multiple ? (tag >= lowestUnresolved ? Array(lowestUnresolved...tag) : []) : [tag]
        for t in tags {
            guard let entry = pending.removeValue(forKey: t) else { continue }
            resolve(entry, nacked: nacked)
        }
        while lowestUnresolved < nextTag && pending[lowestUnresolved] == nil { lowestUnresolved += 1 }
    }

    private func resolve(_ entry: Pending, nacked: Bool) {
        guard var batch = batches[entry.batch] else { return }
        if nacked {
            batch.failures.append(PublishFailure(index: entry.index, messageId: entry.messageId, reason: .nacked))
        } else if let returned = entry.returned {
            batch.failures.append(PublishFailure(index: entry.index, messageId: entry.messageId, reason: returned))
        }
        batch.remaining -= 1
        if batch.remaining == 0 {
            batches[entry.batch] = nil
            if batch.failures.isEmpty {
                batch.continuation.resume()
            } else {
                batch.continuation.resume(throwing: TransportError.publishFailed(batch.failures.sorted { $0.index < $1.index }))
            }
        } else {
            batches[entry.batch] = batch
        }
    }

    /// A `basic.return` precedes the confirm of the same message and carries no delivery tag:
    /// match it to the oldest unconfirmed publish with the same id, exchange and key.
    private func markReturned(messageId: String?, reason: PublishFailure.Reason) {
        guard case .unroutable(_, _, let exchange, let key) = reason else { return }
        var tag = lowestUnresolved
        while tag < nextTag {
            if var entry = pending[tag], entry.returned == nil, entry.exchange == exchange,
               entry.routingKey == key, entry.messageId == messageId {
                entry.returned = reason
                pending[tag] = entry
                return
            }
            tag += 1
        }
    }
}
