import APIModels
import Contracts
import Crypto
import Foundation
import Hosting
import HTTPTypes
import Hummingbird
import Runtime

extension JobRoutes {
    func addSubmit() {
        api.add("submitJob") { request, _, access in
            if let upload = MultipartUpload(request: request, maxFileBytes: settings.maxUploadBytes) {
                return try await submitUpload(upload, request: request, access: access)
            }
            let buffer = try await BodyReader.bytes(request, limit: settings.maxBodyBytes)
            let data = Data(buffer.readableBytesView)
            // Authorize on the project named before judging the rest of the body.
            _ = try resolveProject(ProjectField.named(in: data), access: access)
            let submit = try BodyReader.decode(JobSubmit.self, data)
            guard submit.source.kind != .upload else {
                throw Problem.badRequest("gateway.upload-needs-multipart",
                                         "send the file itself: multipart/form-data with an 'options' part and a 'file' part")
            }
            return try await submitJob(submit, request: request, access: access, digest: Self.sha256(data))
        }
    }

    /// A multipart submission: options first, authorize, then the file streamed to ingest.
    private func submitUpload(_ upload: MultipartUpload, request: Request, access: Access) async throws -> Response {
        try await upload.readOptions()
        guard upload.sawFile else { throw Problem.badRequest("request.malformed", "the multipart body has no 'file' part") }
        var submit = JobSubmit(source: .upload("pending"))
        if !upload.options.isEmpty {
            // The options part is a submission without `source` (the file is the source).
            guard var object = (try? JSONSerialization.jsonObject(with: upload.options)) as? [String: Any] else {
                throw Problem.badRequest("request.malformed", "the 'options' part must be a JSON object")
            }
            object["source"] = ["kind": "upload", "uploadId": "pending"]
            submit = try BodyReader.decode(JobSubmit.self, try JSONSerialization.data(withJSONObject: object))
        }
        let project = try resolveProject(submit.project, access: access)
        try access.user.require(.jobsSubmit)
        let receipt = try await client.upload(upload.file, filename: upload.filename)
        try await upload.finish()
        submit.source = .upload(receipt.uploadId)
        submit.project = project
        if submit.name == nil { submit.name = upload.filename }
        let digest = Self.sha256(upload.options + Data(receipt.sha256.utf8))
        return try await submitJob(submit, request: request, access: access, digest: digest)
    }

    /// The project a submission goes to: the one named, else the caller's only project, else
    /// `default`; 404 unless the caller is in it.
    func resolveProject(_ named: String?, access: Access) throws -> String {
        let caller = try access.user
        let project = named ?? (caller.projects?.count == 1 ? caller.projects!.first! : "default")
        try access.enter(project, "project \(project)")
        return project
    }

    /// Checks and publishes a submission (through the outbox, in the transaction that records
    /// the job and the idempotency key), answering 202 with the job, or the first job again
    /// for a repeated `Idempotency-Key`.
    /// `qualified`: the definition names already carry the project prefix (a stored schedule's).
    func submitJob(_ input: JobSubmit, request: Request, access: Access, digest: String?,
                   qualified: Bool = false) async throws -> Response {
        let (job, replayed) = try await submit(input, request: request, access: access, digest: digest, qualified: qualified)
        var response = HTTPResponses.json(job, status: replayed ? .ok : .accepted)
        if replayed { response.headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        response.headers[.location] = "/api/v1/jobs/\(job.id)"
        return response
    }

    /// The job made (or, for a repeated key, the first one and `true`).
    /// `idempotent: false` ignores `Idempotency-Key` (one request that submits many jobs).
    func submit(_ input: JobSubmit, request: Request, access: Access, digest: String?,
                qualified: Bool = false, idempotent: Bool = true) async throws -> (GatewayJob, Bool) {
        var submit = input
        let caller = try access.user
        let project = try resolveProject(submit.project, access: access)
        guard try await identity.project(project) != nil else { throw Problem.notFound("project \(project)") }
        try Self.checkTargets(submit.notify)
        // A catalog dataset's key is `<project>/<name>`: another project's key would mix its jobs in.
        if let key = submit.options?.datasetKey, let slash = key.firstIndex(of: "/"), String(key[..<slash]) != project,
           try await identity.project(String(key[..<slash])) != nil {
            throw Problem.badRequest("gateway.foreign-dataset-key", "dataset key \(key) belongs to project "
                                     + "\(key[..<slash]); in project \(project) use a key of your own (e.g. \(project)/…)")
        }
        switch submit.source.kind {
        case .path where !Permission.operationsManage.allows(caller.role):
            throw Problem(.forbidden, "gateway.path-source-forbidden",
                          "reading a file on the server is for operators and admins; upload the file instead")
        case .job:
            let earlier = submit.source.jobId ?? ""
            guard let job = try await jobs.find(earlier), caller.sees(job.project) else { throw Problem.notFound("job \(earlier)") }
        default:
            break
        }
        if let jobId = submit.jobId {
            guard jobId.range(of: "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", options: .regularExpression) != nil else {
                throw Problem.badRequest("gateway.invalid-job-id", "a job id is 1–128 letters, digits, '.', '_' and '-'")
            }
        }
        // A key in the body would reach ingest unchecked; only the header's, scoped to the caller, does.
        submit.idempotencyKey = nil
        let key = idempotent ? request.headers[HTTPField.Name("Idempotency-Key")!] : nil
        if let key {
            guard !key.isEmpty, key.utf8.count <= 255 else {
                throw Problem.badRequest("gateway.invalid-idempotency-key", "an Idempotency-Key is 1–255 characters")
            }
            if let replay = try await replay(key: key, caller: caller, digest: digest) { return (replay, true) }
            submit.idempotencyKey = "\(caller.userId):\(key)"
        }
        let batchId = try await batch(submit.batch, project: project)
        let jobId = submit.jobId ?? "job-" + MessageID.random()
        if submit.jobId != nil, try await jobs.find(jobId) != nil {
            throw Problem(.conflict, "gateway.job-exists", "there is already a job \(jobId)")
        }
        submit.jobId = jobId
        submit.project = project
        submit.submittedBy = caller.userName
        if !qualified {
            submit.schemaName = submit.schemaName.map { "\(project).\($0)" }
            submit.planName = submit.planName.map { "\(project).\($0)" }
        }
        let envelope = Envelope(id: "gateway/\(jobId)/submit", jobId: jobId, correlationId: jobId, causationId: nil,
                                producer: "gateway", priority: submit.priority, payload: submit)
        let now = Date(), final = submit
        let claimed = try await runtime.transaction { connection, emitter in
            let jobs = JobRepository(runtime: runtime, connection: connection)
            if let key, !(try await jobs.remember(userId: caller.userId, key: key, sha256: digest ?? "", jobId: jobId)) {
                return false
            }
            if let batchId, !(try await BatchRepository(runtime: runtime, connection: connection).isOpen(batchId)) {
                throw Problem(.conflict, "gateway.batch-closed", "batch \(batchId) was closed: jobs join a batch only while it is open")
            }
            try await jobs.submitted(final, jobId: jobId, at: now, batchId: batchId)
            // A job of a paused project is kept here, not sent, until the project (or the job) resumes.
            if try await !jobs.holdIfPaused(envelope) { try emitter.emit(envelope) }
            return true
        }
        if !claimed, let key, let replay = try await replay(key: key, caller: caller, digest: digest) { return (replay, true) }
        access.target(jobId)
        guard let job = try await jobs.find(jobId) else { throw Problem.notFound("job \(jobId)") }
        return (job, false)
    }

    /// Notification targets a person can be told at: absolute http(s) URLs and mail
    /// addresses (400 now, rather than a failed delivery and an incident later).
    static func checkTargets(_ spec: NotifySpec?) throws {
        guard let spec else { return }
        for url in spec.webhooks + (spec.chat ?? []) {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                  parsed.host?.isEmpty == false else {
                throw Problem.badRequest("gateway.invalid-notify", "a webhook or chat target must be an http(s) URL, not '\(url)'")
            }
        }
        for email in spec.emails ?? [] { try AdminRoutes.checkEmail(email) }
    }

    /// The open batch of `project` a job joins, if it names one.
    private func batch(_ id: String?, project: String) async throws -> String? {
        guard let id else { return nil }
        guard let batch = try await BatchRepository(runtime: runtime).find(id), batch.project == project else {
            throw Problem.notFound("batch \(id) in project \(project)")
        }
        guard batch.state == "open" else {
            throw Problem(.conflict, "gateway.batch-closed", "batch \(id) is \(batch.state): jobs join a batch only while it is open")
        }
        return id
    }

    /// The first job of an earlier submit with the same key, or 409 if that submit differed.
    private func replay(key: String, caller: Caller, digest: String?) async throws -> GatewayJob? {
        guard let earlier = try await jobs.idempotent(userId: caller.userId, key: key) else { return nil }
        if let digest, !earlier.sha256.isEmpty, earlier.sha256 != digest {
            throw Problem(.conflict, "gateway.idempotency-conflict",
                          "this Idempotency-Key was used for a different submission (job \(earlier.jobId))")
        }
        guard let job = try await jobs.find(earlier.jobId) else { throw Problem.notFound("job \(earlier.jobId)") }
        return job
    }

    /// The `project` (or `job.project`) of a JSON body, if it has one, read leniently.
    struct ProjectField: Decodable {
        struct Job: Decodable { var project: String? }
        var project: String?
        var job: Job?

        static func named(in data: Data) -> String? {
            guard let found = try? JSONDecoder().decode(ProjectField.self, from: data) else { return nil }
            return found.project ?? found.job?.project
        }
    }

    static func sha256(_ data: Data) -> String {
        APIToken.hex(SHA256.hash(data: data))
    }
}
