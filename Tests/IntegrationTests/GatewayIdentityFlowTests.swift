import APIModels
import Contracts
import Foundation
import Outbound
@testable import TestSupport
import Catalog
@testable import GatewayService
import Testing

/// The edges of identity the other suites do not reach: the first admin only once, old
/// password hashes replaced at sign-in, and the internal services' credential.
@Suite("Gateway identity flows (real RabbitMQ and PostgreSQL)")
struct GatewayIdentityFlowTests {
    @Test("bootstrap works only while no admin exists; a hash with old parameters is replaced at sign-in")
    func bootstrapAndRehash() async throws {
        let world = try GatewayWorld()
        try await world.start()
        let pipeline = world.pipeline
        let config = try TestEnvironment.runtimeConfig("gateway", prefix: pipeline.prefix)
        await #expect(throws: SluiceError.self) {
            _ = try await ServiceCatalog.bootstrapAdmin(config: config, name: "second-admin", email: "second@example.org",
                                                        password: "another long password", logger: TestEnvironment.logger)
        }
        // An Argon2id hash made with cheaper parameters (as an older release would have).
        let old = try PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1).hash("an old password 1")
        try await GatewayBehaviourTests.sql(pipeline, "UPDATE users SET password_hash = '\(old)' WHERE name = 'operator'")
        #expect(try await pipeline.gateway("POST", "/auth/sign-in", token: nil,
                                           json: SignInRequest(user: "operator", password: "an old password 1")).status == 201)
        let stored = try await GatewayAccessTests.passwordHashes(prefix: pipeline.prefix)
        #expect(!stored.contains(old), "the old hash is gone")
        #expect(stored.allSatisfy { $0.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$") }, "every hash has OWASP's parameters")
        #expect(try await pipeline.gateway("POST", "/auth/sign-in", token: nil,
                                           json: SignInRequest(user: "operator", password: "an old password 1")).status == 201,
                "the password still works with the new hash")
        await world.stop()
    }

    @Test("an internal API with a token refuses requests without it; beyond loopback it needs one to start")
    func internalCredential() async throws {
        let pipeline = try TestPipeline(overrides: ["http.internal.token": "s3cret-internal"])
        try await pipeline.start(["metrics"])
        let bare = try await Outbound.get(url: pipeline.url("metrics", "/jobs"), timeout: .seconds(10))
        #expect(bare.status == 401)
        let wrong = try await Outbound.post(url: pipeline.url("metrics", "/jobs"), body: [], method: "GET",
                                            headers: ["Authorization": "Internal nope"], timeout: .seconds(10))
        #expect(wrong.status == 401)
        let right = try await Outbound.post(url: pipeline.url("metrics", "/jobs"), body: [], method: "GET",
                                            headers: ["Authorization": "Internal s3cret-internal"], timeout: .seconds(10))
        #expect(right.status == 200)
        #expect(try await Outbound.get(url: pipeline.url("metrics", "/health"), timeout: .seconds(10)).status == 200,
                "health stays open for probes")
        await pipeline.stopAll()

        let exposed = try TestEnvironment.runtimeConfig("metrics", prefix: pipeline.prefix, overrides: ["http.host": "0.0.0.0"])
        #expect(throws: SluiceError.self) { _ = try TestPipeline.build("metrics", exposed) }
        let guarded = try TestEnvironment.runtimeConfig("metrics", prefix: pipeline.prefix,
                                                        overrides: ["http.host": "0.0.0.0", "http.internal.token": "t"])
        #expect(throws: Never.self) { _ = try TestPipeline.build("metrics", guarded) }
    }
}
