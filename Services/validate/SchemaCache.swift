import Contracts
import Definitions
import PostgresNIO
import Runtime
import Toolkit
import Validation

/// Compiled schemas per job, so a job's chunks compile its schema once per replica rather
/// than once per chunk. Bounded: the oldest entries go first.
final class SchemaCache: Sendable {
    /// A job's schema, compiled, and where it came from.
    struct Resolved: Sendable {
        var compiled: CompiledSchema
        /// `name@version` for a stored schema; nil for an inline one.
        var reference: String?
    }

    private let entries = LockedValue<[(jobId: String, resolved: Resolved)]>([])
    private let capacity = 64

    /// The job's compiled schema, or nil when the job has none.
    func resolve(_ job: JobContext, runtime: RuntimeContext, connection: PostgresConnection? = nil) async throws -> Resolved? {
        if let hit = entries.update({ $0.first { $0.jobId == job.jobId }?.resolved }) { return hit }
        let resolved: Resolved
        if let schema = job.schema {
            resolved = Resolved(compiled: try Self.compile(schema), reference: nil)
        } else if let name = job.schemaName {
            let stored = try await DefinitionStore(runtime: runtime, kind: "schema").resolve(name, jobId: job.jobId,
                                                                                            on: connection)
            resolved = Resolved(compiled: try Self.compile(try Self.decode(stored.body)), reference: stored.reference)
        } else {
            return nil
        }
        entries.update {
            $0.append((job.jobId, resolved))
            if $0.count > capacity { $0.removeFirst($0.count - capacity) }
        }
        return resolved
    }

    static func compile(_ schema: TableSchema) throws -> CompiledSchema {
        do {
            return try CompiledSchema(schema: schema)
        } catch {
            throw SluiceError.permanent("validate.invalid-schema", "the job's Table Schema is invalid: \(error.message)")
        }
    }

    static func decode(_ text: String) throws -> TableSchema {
        do {
            return try JSONCoding.decode(TableSchema.self, from: Array(text.utf8))
        } catch {
            throw SluiceError.permanent("validate.invalid-schema", "not a Table Schema: \(error)")
        }
    }

    /// Checks a schema for storing; returns it as canonical JSON.
    static func check(_ text: String) throws -> String {
        let schema = try decode(text)
        _ = try compile(schema)
        return String(decoding: try JSONCoding.encode(schema), as: UTF8.self)
    }
}
