import Messaging
import ServiceLifecycle

/// Keeps the publisher for the life of the group and closes it last, after every consumer
/// and loop that publishes has stopped.
struct BrokerService: Service {
    let publisher: any MessagePublisher

    func run() async throws {
        try? await gracefulShutdown()
        await publisher.close()
    }
}
