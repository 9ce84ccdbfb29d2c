import Contracts
import Messaging

/// How often each priority lane is served when several have work waiting: by smooth
/// weighted round robin, so with weights 8/3/1 and every lane busy, 8 of 12 deliveries
/// handled are urgent, 3 normal and 1 low; with only urgent and low busy, low gets 1 in 9.
/// A lane with nothing waiting is skipped and gathers no credit, so a quiet lane never
/// bursts ahead later. Weights come from `consumer.lanes` (`urgent=8,normal=3,low=1`).
public struct LaneWeights: Sendable, Hashable, CustomStringConvertible {
    /// Share of urgent work.
    public var urgent: Int
    /// Share of normal work.
    public var normal: Int
    /// Share of low work; at least 1, so low work is never starved.
    public var low: Int

    /// Weights; each is at least 1.
    public init(urgent: Int = 8, normal: Int = 3, low: Int = 1) {
        self.urgent = max(1, urgent)
        self.normal = max(1, normal)
        self.low = max(1, low)
    }

    /// Reads `urgent=8,normal=3,low=1` (any subset; the rest keep their defaults).
    public init(parsing text: String) throws(LaneWeightsError) {
        self.init()
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let lane = Priority(name: pair[0]), let weight = Int(pair[1]), weight >= 1 else {
                throw LaneWeightsError(text: text)
            }
            self[lane] = weight
        }
    }

    /// The weight of one lane.
    public subscript(lane: Priority) -> Int {
        get {
            switch lane {
            case .urgent: urgent
            case .normal: normal
            case .low: low
            }
        }
        set {
            switch lane {
            case .urgent: urgent = max(1, newValue)
            case .normal: normal = max(1, newValue)
            case .low: low = max(1, newValue)
            }
        }
    }

    /// `urgent=8,normal=3,low=1`.
    public var description: String { "urgent=\(urgent),normal=\(normal),low=\(low)" }
}

/// `consumer.lanes` could not be read.
public struct LaneWeightsError: Error, Sendable, CustomStringConvertible {
    /// What was given.
    public var text: String
    /// What to write instead.
    public var description: String {
        "consumer.lanes: cannot read '\(text)': expected weights like urgent=8,normal=3,low=1 (each a whole number ≥ 1)"
    }
}

/// Deliveries waiting for a handler: one FIFO per lane, handed out by smooth weighted round
/// robin (the algorithm nginx uses for weighted upstreams). A plain value, tested directly.
struct LaneScheduler<Element> {
    private var lanes: [Priority: FIFO<Element>] = [:]
    private var credit: [Priority: Int] = [:]
    let weights: LaneWeights

    init(weights: LaneWeights) { self.weights = weights }

    /// How many are waiting.
    private(set) var count = 0
    /// Whether nothing waits.
    var isEmpty: Bool { count == 0 }

    /// Queues `element` at the back of `lane`.
    mutating func append(_ element: Element, lane: Priority) {
        lanes[lane, default: FIFO()].append(element)
        count += 1
    }

    /// The next element to handle, or nil when all lanes are empty.
    mutating func next() -> Element? {
        var busy: [Priority] = []
        for lane in Priority.allCases {
            if lanes[lane]?.isEmpty == false { busy.append(lane) } else { credit[lane] = 0 }
        }
        guard !busy.isEmpty else { return nil }
        var total = 0
        var chosen = busy[0]
        for lane in busy {
            credit[lane, default: 0] += weights[lane]
            total += weights[lane]
            // Ties go to the more urgent lane (busy is in priority order).
            if credit[lane]! > credit[chosen]! { chosen = lane }
        }
        credit[chosen]! -= total
        count -= 1
        return lanes[chosen]!.removeFirst()
    }
}

/// A first-in first-out queue with O(1) removal at the front.
struct FIFO<Element> {
    private var items: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func append(_ element: Element) { items.append(element) }

    mutating func removeFirst() -> Element? {
        guard head < items.count else { return nil }
        let element = items[head]
        head += 1
        if head > 64, head * 2 > items.count {  // reclaim the consumed front now and then
            items.removeFirst(head)
            head = 0
        }
        return element
    }
}
