import Logging
import ServiceLifecycle

/// Logs when a member of the group stops, so a shutdown that hangs names the culprit.
struct NamedService: Service {
    let name: String
    let inner: any Service
    let logger: Logger

    func run() async throws {
        logger.debug("starting \(name)")
        do {
            try await inner.run()
            logger.debug("stopped \(name)")
        } catch {
            logger.warning("\(name) failed", metadata: ["error": "\(String(reflecting: error))"])
            throw error
        }
    }
}
