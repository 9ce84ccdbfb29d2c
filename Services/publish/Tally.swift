import Contracts
import Foundation

/// Row counts of a job being assembled.
struct Tally {
    /// Records in the output (appended ones included).
    var valid = 0
    /// Records reported invalid: validation, casts and expressions, duplicate keys.
    var invalid = 0
    /// Records removed by the plan's filter rules.
    var filtered = 0
    /// Later duplicates removed by the plan's `dedupe`.
    var deduplicated = 0
    /// Records added by the plan's `append`.
    var appended = 0
}

/// What the chunks say about the job as a whole: schema and plan used, notes, stage times.
struct MetaSummary {
    var schemaRef: String?
    var planRef: String?
    /// The reference tables the plan joined (`name@version`).
    var lookups: [String]?
    var notes: [String] = []
    var firstValidated: Date?
    var lastValidated: Date?
    var firstTransformed: Date?
    var lastTransformed: Date?
    /// The chunks' call-step tallies added up (nil when the plan has no call step).
    var calls: CallTally?

    mutating func add(_ meta: ChunkMeta) {
        if let chunk = meta.calls {
            var total = calls ?? CallTally()
            total.add(chunk)
            calls = total
        }
        schemaRef = schemaRef ?? meta.schemaRef
        planRef = planRef ?? meta.planRef
        lookups = lookups ?? meta.lookups
        notes += meta.notes ?? []
        if let time = meta.validatedAt {
            firstValidated = min(firstValidated ?? time, time)
            lastValidated = max(lastValidated ?? time, time)
        }
        if let time = meta.transformedAt {
            firstTransformed = min(firstTransformed ?? time, time)
            lastTransformed = max(lastTransformed ?? time, time)
        }
    }
}
