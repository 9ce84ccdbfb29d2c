import Foundation

/// The dates a plan's `today()` and `run_date()` read (docs/plans.md#dates): fixed per job, so
/// every chunk and every retry of a job computes the same values.
public struct PlanDates: Sendable, Hashable {
    /// `today()`: the day the job was submitted (UTC), `YYYY-MM-DD`.
    public var today: String
    /// `run_date()`: the day the job runs for (a schedule's fire date, a backfill's day, the
    /// job's `options.runDate`), else `today`.
    public var runDate: String

    /// Dates given as text.
    public init(today: String, runDate: String? = nil) {
        self.today = today
        self.runDate = runDate ?? today
    }

    /// The dates of a job submitted at `submittedAt` that runs for `runDate`.
    public init(submittedAt: Date?, runDate: String?) {
        self.init(today: Self.day(submittedAt ?? Date()), runDate: runDate)
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    public static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }

    /// The dates of the job whose chunk is being transformed (set around its evaluation);
    /// outside a job, today's date.
    @TaskLocal public static var current: PlanDates?

    static var effective: PlanDates { current ?? PlanDates(today: day(Date())) }
}
