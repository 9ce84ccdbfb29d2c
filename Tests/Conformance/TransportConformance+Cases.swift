import Messaging

extension TransportConformance {
    static func confirmedPublish(_ c: Context) async throws {
        let publisher = c.publisher()
        let consumer = c.consumer()
        try await consumer.consume(queues: [c.t.queue])
        let collector = Collector(consumer)
        for start in stride(from: 0, to: 300, by: 100) {
            try await publisher.publish((start..<start + 100).map { c.t.message($0, size: 1024) })
        }
        let got = try await collector.wait(for: 300)
        try require(Set(ids(got)).count == 300, "every message once, got \(Set(ids(got)).count) distinct")
        let seventh = got.first { $0.properties.messageId == "m-7" }
        try require(seventh?.properties.headers["x-index"] == .int(7), "headers survive")
        try require(seventh?.properties.type == "work.item" && seventh?.properties.persistent == true,
                    "type and persistence survive")
        try require(seventh?.body.count == 1024 && seventh?.queue == c.t.queue && seventh?.redelivered == false,
                    "body, queue and a fresh redelivered flag")
        try require(seventh?.exchange == c.t.exchange && seventh?.routingKey == "work.item", "exchange and key")
    }

    static func routing(_ c: Context) async throws {
        let publisher = c.publisher()
        let wide = c.consumer()
        let narrow = c.consumer()
        try await wide.consume(queues: [c.t.queue])
        try await narrow.consume(queues: [c.t.narrowQueue])
        let (wideGot, narrowGot) = (Collector(wide), Collector(narrow))
        try await publisher.publish([c.t.message(1, key: "work.item"), c.t.message(2, key: "work.deep.item")])
        try await wideGot.wait(for: 2)
        try await narrowGot.wait(for: 1)
        let late = try await narrowGot.settle()
        try require(ids(late) == ["m-1"], "`work.*` matches one word only, got \(ids(late))")
        try require(Set(ids(wideGot.deliveries)) == ["m-1", "m-2"], "`work.#` matches both")
    }

    static func unroutable(_ c: Context) async throws {
        let publisher = c.publisher()
        var lost = c.t.message(1)
        lost.routingKey = "nobody.listens"
        do {
            try await publisher.publish([c.t.message(0), lost, c.t.message(2)])
            throw ConformanceFailure("an unroutable mandatory message must fail the publish")
        } catch TransportError.publishFailed(let failures) {
            try require(failures.count == 1, "exactly the unroutable message fails, got \(failures)")
            guard case .unroutable(let code, _, _, let key) = failures[0].reason else {
                throw ConformanceFailure("reason should be unroutable: \(failures[0])")
            }
            try require(failures[0].index == 1 && failures[0].messageId == "m-1" && code == 312
                        && key == "nobody.listens", "failure names the message: \(failures[0])")
        }
        try await publisher.publish([c.t.message(3)])  // still usable
    }

    static func competing(_ c: Context) async throws {
        let publisher = c.publisher()
        let (a, b) = (c.consumer(prefetch: 5), c.consumer(prefetch: 5))
        try await a.consume(queues: [c.t.queue])
        try await b.consume(queues: [c.t.queue])
        // Neither acks at first: with 5 unsettled each, the work must be split.
        let (gotA, gotB) = (Collector(a, ack: false), Collector(b, ack: false))
        try await publisher.publish((0..<10).map { c.t.message($0) })
        try await gotA.wait(for: 5)
        try await gotB.wait(for: 5)
        let all = ids(gotA.deliveries) + ids(gotB.deliveries)
        try require(all.count == 10 && Set(all).count == 10, "each message to exactly one consumer: \(all)")
    }

    static func prefetch(_ c: Context) async throws {
        let publisher = c.publisher()
        let consumer = c.consumer(prefetch: 5)
        try await consumer.consume(queues: [c.t.queue])
        let collector = Collector(consumer, ack: false)
        try await publisher.publish((0..<20).map { c.t.message($0) })
        let first = try await collector.settle()
        try require(first.count == 5, "at most prefetch (5) unsettled deliveries, got \(first.count)")
        consumer.ack(first)
        let second = try await collector.wait(for: 10)
        try require(second.count == 10, "acking frees the window, got \(second.count)")
    }

    static func requeue(_ c: Context) async throws {
        let publisher = c.publisher()
        let consumer = c.consumer()
        try await consumer.consume(queues: [c.t.queue])
        var iterator = consumer.deliveries.makeAsyncIterator()
        try await publisher.publish([c.t.message(42)])
        guard let first = await iterator.next(), first.count == 1 else { throw ConformanceFailure("no delivery") }
        try require(!first[0].redelivered, "a first delivery is not marked redelivered")
        consumer.nack(first, requeue: true)
        guard let again = await iterator.next(), again.count == 1 else { throw ConformanceFailure("not requeued") }
        try require(again[0].properties.messageId == "m-42" && again[0].redelivered, "requeued and marked redelivered")
        consumer.ack(again)
    }

    static func deadLetter(_ c: Context) async throws {
        let publisher = c.publisher()
        let consumer = c.consumer()
        try await consumer.consume(queues: [c.t.queue])
        var iterator = consumer.deliveries.makeAsyncIterator()
        try await publisher.publish([c.t.message(7)])
        guard let batch = await iterator.next() else { throw ConformanceFailure("no delivery") }
        consumer.nack(batch, requeue: false)
        let dlq = c.consumer()
        try await dlq.consume(queues: [c.t.deadLetterQueue])
        let dead = try await Collector(dlq).wait(for: 1)
        try require(dead[0].properties.messageId == "m-7" && dead[0].properties.headers["x-index"] == .int(7),
                    "the dead letter keeps its id and headers")
        guard case .array(let deaths)? = dead[0].properties.headers["x-death"], case .table(let death)? = deaths.first
        else { throw ConformanceFailure("x-death header missing") }
        try require(death["reason"]?.stringValue == "rejected" && death["queue"]?.stringValue == c.t.queue,
                    "x-death names the reason and the queue: \(death)")
        try require(dead[0].exchange == "\(c.t.prefix).dlx" && dead[0].routingKey == "q", "routed by the DLX and key")
    }

    static func closedConsumer(_ c: Context) async throws {
        let publisher = c.publisher()
        let first = c.consumer(prefetch: 1)
        try await first.consume(queues: [c.t.queue])
        var iterator = first.deliveries.makeAsyncIterator()
        try await publisher.publish([c.t.message(1)])
        guard let taken = await iterator.next() else { throw ConformanceFailure("no delivery") }
        await first.close()  // dies without settling
        let second = c.consumer()
        try await second.consume(queues: [c.t.queue])
        let got = try await Collector(second).wait(for: 1)
        try require(got[0].properties.messageId == "m-1" && got[0].redelivered, "redelivered to another consumer")
        first.ack(taken)  // a dead consumer's tag is a harmless no-op
        let after = try await Collector(c.consumer()).settle(for: .milliseconds(300))
        try require(after.isEmpty, "nothing left over")
    }

    static func ordering(_ c: Context) async throws {
        let publisher = c.publisher()
        let consumer = c.consumer(prefetch: 50)
        try await consumer.consume(queues: [c.t.queue])
        let collector = Collector(consumer)
        try await publisher.publish((0..<250).map { c.t.message($0) })
        for i in 250..<300 { try await publisher.publish([c.t.message(i)]) }
        let got = try await collector.wait(for: 300)
        try require(ids(got) == (0..<300).map { "m-\($0)" }, "one queue delivers in publish order")
    }

    static func delayedRetry(_ c: Context) async throws {
        let publisher = c.publisher()
        let consumer = c.consumer()
        try await consumer.consume(queues: [c.t.queue])
        let collector = Collector(consumer)
        var retry = c.t.message(9)
        retry.exchange = ""
        retry.routingKey = c.t.delayQueue
        retry.properties.expiration = "400"
        let sent = ContinuousClock.now
        try await publisher.publish([retry])
        let got = try await collector.wait(for: 1, timeout: .seconds(10))
        let waited = ContinuousClock.now - sent
        try require(waited >= .milliseconds(300), "the message waited its TTL (\(waited))")
        try require(got[0].properties.messageId == "m-9" && got[0].queue == c.t.queue, "back on the work queue")
        guard case .array(let deaths)? = got[0].properties.headers["x-death"], case .table(let death)? = deaths.first
        else { throw ConformanceFailure("x-death header missing") }
        try require(death["reason"]?.stringValue == "expired" && death["queue"]?.stringValue == c.t.delayQueue,
                    "x-death says it expired in the delay queue: \(death)")
    }

    static func settle(_ c: Context) async throws {
        let publisher = c.publisher()
        let consumer = c.consumer()
        try await consumer.consume(queues: [c.t.queue])
        var iterator = consumer.deliveries.makeAsyncIterator()
        try await publisher.publish([c.t.message(1), c.t.message(2)])
        var batch: [Delivery] = []
        while batch.count < 2, let more = await iterator.next() { batch += more }
        let (keep, back) = batch[0].properties.messageId == "m-1" ? (batch[0], batch[1]) : (batch[1], batch[0])
        try await consumer.settle(acks: [keep], requeues: [back])
        guard let again = await iterator.next() else { throw ConformanceFailure("not requeued") }
        try require(ids(again) == ["m-2"] && again[0].redelivered, "the requeued one comes back, redelivered")
        try await consumer.settle(acks: again, requeues: [])
    }

    static func closedPublisher(_ c: Context) async throws {
        let publisher = c.publisher()
        try await publisher.publish([c.t.message(0)])
        await publisher.close()
        let started = ContinuousClock.now
        do {
            try await publisher.publish([c.t.message(1)])
            throw ConformanceFailure("a closed publisher must refuse")
        } catch let error as TransportError {
            try require(ContinuousClock.now - started < .seconds(5), "it fails fast (\(error))")
        }
    }
}
