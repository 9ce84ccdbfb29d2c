import Foundation

/// The built `sluice` binary, run as a user would.
enum SluiceCLI {
    /// Runs the binary (``Spawn``, not Foundation's `Process`) and waits for it off the
    /// cooperative pool: the services it talks to run in this process and need those threads.
    static func run(_ arguments: [String], environment: [String: String] = [:],
                    input: String? = nil) async throws -> (status: Int32, output: String) {
        let binary = TestEnvironment.packageRoot.appendingPathComponent(".build/debug/sluice").path
        return try await Spawn.run(binary, arguments,
                                   environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
                                   input: input)
    }
}
