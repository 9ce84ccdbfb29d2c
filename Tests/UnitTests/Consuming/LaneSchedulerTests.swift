@testable import Consuming
import Contracts
import Testing

/// The priority lanes' arithmetic: FIFO within a lane, weighted shares between lanes.
@Suite("Priority lanes")
struct LaneSchedulerTests {
    @Test("one lane is served first in, first out")
    func fifoWithinALane() {
        var lanes = LaneScheduler<Int>(weights: LaneWeights())
        for i in 0..<200 { lanes.append(i, lane: .low) }
        var out: [Int] = []
        while let next = lanes.next() { out.append(next) }
        #expect(out == Array(0..<200))
        #expect(lanes.isEmpty && lanes.count == 0)
    }

    @Test("with every lane busy, each gets its weight's share, and an urgent item goes first")
    func weightedShares() {
        var lanes = LaneScheduler<Priority>(weights: LaneWeights(urgent: 8, normal: 3, low: 1))
        for _ in 0..<1200 { for lane in Priority.allCases { lanes.append(lane, lane: lane) } }
        var picked: [Priority] = []
        for _ in 0..<1200 { picked.append(lanes.next()!) }
        #expect(picked.first == .urgent)
        #expect(picked.filter { $0 == .urgent }.count == 800)
        #expect(picked.filter { $0 == .normal }.count == 300)
        #expect(picked.filter { $0 == .low }.count == 100)
        // Smooth: low work is spread out, never more than 12 picks apart.
        let lows = picked.indices.filter { picked[$0] == .low }
        #expect(zip(lows, lows.dropFirst()).allSatisfy { $1 - $0 <= 12 })
    }

    @Test("under a steady urgent load low work keeps its share; a lane that was empty gathers no credit")
    func noStarvationNoBurst() {
        var lanes = LaneScheduler<Priority>(weights: LaneWeights(urgent: 8, normal: 3, low: 1))
        for _ in 0..<10 { lanes.append(.low, lane: .low) }
        var picked: [Priority] = []
        for _ in 0..<90 {
            lanes.append(.urgent, lane: .urgent)  // urgent work keeps arriving
            picked.append(lanes.next()!)
        }
        #expect(picked.filter { $0 == .low }.count == 10, "1 in 9 against urgent alone: \(picked)")
        // Normal work idle for all that time does not now take a burst of turns.
        for _ in 0..<30 { lanes.append(.normal, lane: .normal) }
        for _ in 0..<20 { lanes.append(.urgent, lane: .urgent) }
        let next = (0..<11).map { _ in lanes.next()! }
        #expect(next.filter { $0 == .normal }.count == 3, "\(next)")
        #expect(next.first == .urgent)
    }

    @Test("weights read from configuration; a bad value is refused with what to write")
    func parsing() throws {
        #expect(try LaneWeights(parsing: "urgent=5, low=2") == LaneWeights(urgent: 5, normal: 3, low: 2))
        #expect(LaneWeights().description == "urgent=8,normal=3,low=1")
        #expect(throws: LaneWeightsError.self) { try LaneWeights(parsing: "urgent=0") }
        #expect(throws: LaneWeightsError.self) { try LaneWeights(parsing: "high=3") }
        let error = LaneWeightsError(text: "x")
        #expect(error.description.contains("urgent=8,normal=3,low=1"))
    }

    @Test("work messages of urgent and low jobs take their lane's routing key; events keep the bare type")
    func routingKeys() {
        #expect(MessageType.chunkIngested.routingKey(.urgent) == "chunk.ingested.urgent")
        #expect(MessageType.jobSubmit.routingKey(.low) == "job.submit.low")
        #expect(MessageType.chunkValidated.routingKey(.normal) == "chunk.validated")
        #expect(MessageType.chunkValidated.routingKey(nil) == "chunk.validated")
        #expect(MessageType.jobPublished.routingKey(.urgent) == "job.published")
        #expect(Priority(name: "URGENT") == .urgent && Priority(name: "high") == nil)
    }
}
