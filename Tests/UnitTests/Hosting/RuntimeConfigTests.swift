import Catalog
@testable import Consuming
import Contracts
import Foundation
@testable import Hosting
@testable import IncidentService
@testable import IngestService
import Messaging
import PostgresNIO
@testable import Runtime
import Tabular
import Testing
@testable import TransformService
@testable import ValidateService

@Suite("Runtime configuration")
struct RuntimeConfigTests {
    @Test("configuration precedence is flags > environment > file > defaults")
    func configPrecedence() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID()).json")
        try Data(#"{"http": {"port": 9001}, "db": {"host": "file-host", "port": 7000}, "amqp.url": "amqp://f@h/v"}"#.utf8)
            .write(to: file)
        let values = try ConfigValues(flags: ["http.port=9003"], environment: ["SLUICE_HTTP_PORT": "9002", "SLUICE_DB_HOST": "env-host", "HOME": "/x"],
                                      file: file.path)
        let config = try RuntimeConfig(service: "ingest", values: values)
        #expect(config.httpPort == 9003)
        #expect(config.database.host == "env-host")
        #expect(config.database.port == 7000)
        #expect(config.database.user == "sluice_ingest" && config.database.schema == "ingest")
        #expect(config.amqp.host == "h" && config.amqp.vhost == "v")
        #expect(throws: SluiceError.self) { try RuntimeConfig(service: "x", values: ConfigValues(["http.port": "eighty"])) }
    }

    @Test("deliveries in hand stay below the pool, so the HTTP API and the loops always get a connection")
    func concurrencyBelowPool() throws {
        #expect(try RuntimeConfig(service: "x", values: ConfigValues([:])).concurrency == 8)
        #expect(try RuntimeConfig(service: "x", values: ConfigValues(["db.pool": "4", "consumer.concurrency": "3"])).concurrency == 3)
        for (pool, concurrency) in [("4", "4"), ("8", "8"), ("10", "0")] {
            do {
                _ = try RuntimeConfig(service: "x", values: ConfigValues(["db.pool": pool, "consumer.concurrency": concurrency]))
                Issue.record("db.pool \(pool) with consumer.concurrency \(concurrency) was accepted")
            } catch let error as SluiceError {
                #expect(error.code == "config.pool-too-small" && error.message.contains("below db.pool"))
            }
        }
    }

    @Test("malloc tuning: 32 MiB thresholds, 4 MiB for publish and the gateway, settings win over both")
    func memoryTuning() throws {
        let plain = try MemoryTuning(values: ConfigValues([:]), service: "transform")
        #expect(plain.mmapThreshold == 32 << 20 && plain.trimThreshold == 32 << 20 && plain.arenas == 2)
        let publish = try MemoryTuning(values: ConfigValues([:]), service: "publish")
        #expect(publish.mmapThreshold == 4 << 20 && publish.trimThreshold == 4 << 20)
        #expect(try MemoryTuning(values: ConfigValues([:]), service: "gateway").mmapThreshold == 4 << 20)
        let set = try MemoryTuning(values: ConfigValues(["memory.trim.threshold.bytes": "0"]), service: "publish")
        #expect(set.trimThreshold == 0 && set.mmapThreshold == 4 << 20)
    }
}
