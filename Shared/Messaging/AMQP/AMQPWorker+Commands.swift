import CRabbitMQ
import Foundation

extension AMQPWorker {
    // Commands from async callers, run on the worker thread between pumps: publishes,
    // settlements, consume/cancel and close; while disconnected, each is answered at once.

    func handleCommandsWhileDisconnected() {
        for command in takeCommands() {
            switch command {
            case .publish(_, let continuation):
                continuation.resume(throwing: stopped ? TransportError.closed
                                                      : TransportError.connectionLost("not connected to \(config.redacted)"))
            case .settle(_, let continuation): continuation?.resume()  // the broker requeues a dead connection's deliveries
            case .consume(let names, let continuation):
                queues.append(contentsOf: names.filter { !queues.contains($0) })
                consuming = true
                continuation.resume()
            case .cancelConsumers(let continuation):
                consuming = false
                deliveryContinuation?.finish()
                continuation.resume()
            case .close(let continuation):
                stopped = true
                continuation.resume()
            }
        }
    }

    func processCommands() {
        for command in takeCommands() {
            guard let session else {
                handle(disconnected: command)
                continue
            }
            do throws(TransportError) {
                switch command {
                case .publish(let messages, let continuation):
                    try publish(messages, continuation, on: session)
                case .settle(let settlements, let continuation):
                    defer { continuation?.resume() }
                    for s in settlements where s.generation == generation {
                        switch s.kind {
                        case .ack: try session.ack(s.tag)
                        case .nack(let requeue): try session.nack(s.tag, requeue: requeue)
                        }
                    }
                case .consume(let names, let continuation):
                    let fresh = names.filter { !queues.contains($0) }
                    queues.append(contentsOf: fresh)
                    consuming = true
                    do throws(TransportError) {
                        for queue in fresh { try session.consume(queue: queue, tag: consumerTag(queue)) }
                        continuation.resume()
                    } catch {
                        continuation.resume(throwing: error)
                        throw error
                    }
                case .cancelConsumers(let continuation):
                    // Ends the delivery stream after what was already handed over, so the
                    // consumer loop drains and returns; deliveries still in flight on the
                    // socket are never acked and the broker requeues them at close.
                    consuming = false
                    defer {
                        deliveryContinuation?.finish()
                        continuation.resume()
                    }
                    for queue in queues { try session.cancel(tag: consumerTag(queue)) }
                case .close(let continuation):
                    stopped = true
                    failAllPending(with: TransportError.closed)
                    session.close()
                    self.session = nil
                    lock.withLock { connectedFlag = false }
                    continuation.resume()
                }
            } catch {
                teardown(error)
            }
        }
    }

    private func handle(disconnected command: Command) {
        lock.withLock { inbox.insert(command, at: 0) }
        handleCommandsWhileDisconnected()
    }

    private func publish(_ messages: [OutgoingMessage], _ continuation: Rendezvous,
                         on session: AMQPSession) throws(TransportError) {
        guard !messages.isEmpty else { return continuation.resume() }
        let id = nextBatch
        nextBatch += 1
        batches[id] = Batch(continuation: continuation, remaining: messages.count)
        for (index, message) in messages.enumerated() {
            try session.publish(message)
            pending[nextTag] = Pending(batch: id, index: index, messageId: message.properties.messageId,
                                       exchange: message.exchange, routingKey: message.routingKey)
            nextTag += 1
        }
    }
}
