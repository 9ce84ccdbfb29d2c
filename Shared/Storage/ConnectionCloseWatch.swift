import NIOCore
import PostgresNIO
import Toolkit

/// Tells running transactions when their connection closes. postgres-nio drops a statement
/// written after the socket closed without ever completing it, so a transaction whose
/// server went away between two statements would wait forever; here it is interrupted the
/// moment the connection's close is seen. One close callback per connection (registered on
/// first use), not one per transaction, so long-lived connections collect nothing.
final class ConnectionCloseWatch: Sendable {
    private struct Entry {
        var waiters: [Int: Interruption] = [:]
    }

    private struct State {
        var connections: [ObjectIdentifier: Entry] = [:]
        var nextToken = 0
    }

    private let state = LockedValue(State())

    /// Interrupts `interruption` when `connection` closes (at once if it already has);
    /// returns a token for ``stopWatching(_:token:)``.
    func watch(_ connection: PostgresConnection, _ interruption: Interruption) -> Int {
        let id = ObjectIdentifier(connection)
        let (token, isNew) = state.update { state -> (Int, Bool) in
            let token = state.nextToken
            state.nextToken += 1
            let isNew = state.connections[id] == nil
            state.connections[id, default: Entry()].waiters[token] = interruption
            return (token, isNew)
        }
        if isNew {
            connection.closeFuture.whenComplete { [self] _ in closed(id) }
        }
        return token
    }

    /// Stops watching for one transaction.
    func stopWatching(_ connection: PostgresConnection, token: Int) {
        state.update { _ = $0.connections[ObjectIdentifier(connection)]?.waiters.removeValue(forKey: token) }
    }

    private func closed(_ id: ObjectIdentifier) {
        let waiters = state.update { $0.connections.removeValue(forKey: id)?.waiters.values.map { $0 } ?? [] }
        for waiter in waiters {
            waiter.interrupt(with: DatabaseUnavailable(reason: "the connection closed during the transaction"))
        }
    }
}
