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

@Suite("AMQP configuration")
struct AMQPConfigTests {
    @Test("AMQP URLs parse, including TLS, vhost escapes and query options")
    func amqpURL() throws {
        let plain = try AMQPConfig(url: "amqp://u:p%40ss@broker:5673/%2F?heartbeat=10")
        #expect(plain.user == "u" && plain.password == "p@ss" && plain.host == "broker" && plain.port == 5673)
        #expect(plain.vhost == "/" && plain.heartbeatSeconds == 10 && !plain.tls)
        let tls = try AMQPConfig(url: "amqps://u:p@broker/prod?cacertfile=/ca.pem")
        #expect(tls.tls && tls.port == 5671 && tls.vhost == "prod" && tls.caCertificatePath == "/ca.pem")
        #expect(!tls.redacted.contains("p@"))
        #expect(throws: TransportError.self) { try AMQPConfig(url: "http://nope") }
    }
}
