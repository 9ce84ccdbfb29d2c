import Contracts
import Crypto
import Foundation

/// What, besides its input, decides a job's output: its stages, schema, plan, run date and
/// processing options. Incremental processing skips a job only when both its input and its
/// recipe are the same as at the dataset's last job, so a nightly run for a new date, an
/// `ingest-only` run followed by a full one, or a job naming another plan version is not
/// mistaken for a repeat (docs/formats.md#incremental-processing).
enum ProcessingRecipe {
    /// A SHA-256 of the job's recipe, stable across processes (sorted keys).
    static func digest(_ job: JobContext) -> String {
        var options = job.effectiveOptions
        // Not part of what is computed: whether to skip, the dataset's name, a test run.
        options.force = nil
        options.datasetKey = nil
        options.dryRun = nil
        options.stages = options.effectiveStages
        let recipe = Recipe(schema: job.schema, schemaName: job.schemaName, plan: job.plan, planName: job.planName,
                            options: options)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(recipe)) ?? Data()
        return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    private struct Recipe: Encodable {
        var schema: TableSchema?
        var schemaName: String?
        var plan: ProcessingPlan?
        var planName: String?
        var options: JobOptions
    }
}
