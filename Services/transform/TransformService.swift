import Contracts
import Logging
import ServiceRuntime

/// The transform service: applies the job's processing to each validated chunk. Today that
/// is the standard clean-up (trim text, turn numeric-looking text into numbers); plans come
/// in a later issue.
public enum TransformService {
    /// The composition root.
    public static func build(config: RuntimeConfig, logger: Logger, handleSignals: Bool = false) throws -> ServiceHost {
        var spec = ServiceSpec()
        spec.handlers.on(ChunkValidated.self) { envelope, context in
            let chunk = envelope.payload
            let records = chunk.records.map(StandardCleanup.apply)
            try context.emit(Envelope(id: MessageID.chunk(chunk.job.jobId, .chunkTransformed, chunk.chunkIndex),
                                      causedBy: envelope, producer: "transform",
                                      payload: ChunkTransformed(job: chunk.job, chunkIndex: chunk.chunkIndex,
                                                                columns: chunk.columns, records: records,
                                                                invalidCount: chunk.invalidCount, errors: chunk.errors)))
        }
        return ServiceHost(config: config, spec: spec, logger: logger, handleSignals: handleSignals)
    }
}
