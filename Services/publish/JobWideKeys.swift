import Contracts
import Validation

/// Uniqueness across a whole job, enforced here because only publish sees every chunk, in
/// source order: the first record with a key wins and later ones are reported
/// (`primary-key` or `unique-error`, as Frictionless names them) and left out. A plan's
/// `dedupe` drops later records with the same fingerprint silently (it is a requested
/// operation, not an error), counting them.
struct JobWideKeys {
    private var tracker: UniqueTracker?
    private var deduped = FingerprintSet()
    private(set) var duplicatesDropped = 0
    /// The job's rows, when known: the dedupe set is sized for them at its first fingerprint,
    /// so it never rehashes a million strings on the way.
    var expectedRows = 0

    /// The problems of `record` given the keys its chunk declares; empty when it may be kept.
    mutating func check(_ record: Record, keys: [UniqueKey]) -> [RecordError] {
        guard let fingerprints = record.keys, !keys.isEmpty else { return [] }
        if tracker == nil { tracker = UniqueTracker(constraints: keys.map(UniqueConstraint.init)) }
        return tracker!.observe(line: record.line, fingerprints: fingerprints)
    }

    /// Whether the record repeats an earlier record's dedupe fingerprint (and so is dropped).
    ///
    /// - Throws: `publish.dedupe-too-large` past 4 GiB of distinct fingerprints.
    mutating func isDuplicate(_ record: Record) throws -> Bool {
        guard let fingerprint = record.dedupe else { return false }
        // Run ahead, publish does not know the job's rows yet: start large rather than rehash from 1.
        if deduped.count == 0 { deduped.reserveCapacity(max(expectedRows, 1 << 17)) }
        let inserted: Bool
        do { inserted = try deduped.insert(fingerprint) } catch {
            throw SluiceError.permanent("publish.dedupe-too-large",
                "the plan's dedupe keys of this job take more than \(error.limit) bytes; dedupe on fewer or shorter columns, or split the job")
        }
        if inserted { return false }
        duplicatesDropped += 1
        return true
    }
}
