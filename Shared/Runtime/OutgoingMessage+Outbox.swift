import Contracts
import Logging
import Messaging
import PostgresNIO
import Storage

extension OutboxMessage {
    /// The row for `message`: its properties as JSON.
    init(_ message: OutgoingMessage) throws {
        self.init(messageId: message.properties.messageId, exchange: message.exchange, routingKey: message.routingKey,
                  properties: String(decoding: try JSONCoding.encode(message.properties), as: UTF8.self),
                  body: message.body)
    }
}

extension OutgoingMessage {
    /// The broker message a stored row describes.
    init(_ row: OutboxMessage) throws {
        self.init(exchange: row.exchange, routingKey: row.routingKey, body: row.body,
                  properties: try JSONCoding.decode(MessageProperties.self, from: Array(row.properties.utf8)))
    }
}

extension Outbox {
    /// Stores broker messages in the caller's transaction; returns their row ids.
    public static func enqueue(_ messages: [OutgoingMessage], on connection: PostgresConnection,
                               logger: Logger) async throws -> [Int64] {
        try await enqueue(try messages.map(OutboxMessage.init), on: connection, logger: logger)
    }
}
