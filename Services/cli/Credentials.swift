import Contracts
import Foundation
import Runtime

/// Where the CLI finds the gateway and its token: `--set gateway.url=…`, then `SLUICE_URL` /
/// `SLUICE_TOKEN`, then the file `sluice login` wrote
/// (`$XDG_CONFIG_HOME/sluice/credentials.json`, else `~/.config/sluice/credentials.json`,
/// mode 0600), then `http://127.0.0.1:8080`.
struct Credentials: Codable {
    var url: String
    var user: String
    var token: String

    static var file: URL {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        return base.appendingPathComponent("sluice/credentials.json")
    }

    static func load() -> Credentials? {
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return try? JSONDecoder().decode(Credentials.self, from: data)
    }

    /// Writes the file readable by its owner only (the directory 0700, the file 0600, set
    /// before the token is written).
    func save() throws {
        let file = Self.file, manager = FileManager.default
        try manager.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
                                    attributes: [.posixPermissions: 0o700])
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".credentials.\(getpid()).tmp")
        guard manager.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CLIError(code: ExitCodes.usage, message: "cannot write \(temporary.path)")
        }
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.write(contentsOf: try JSONCoding.encoder(pretty: true).encode(self))
        try handle.close()
        guard rename(temporary.path, file.path) == 0 else {
            throw CLIError(code: ExitCodes.usage, message: "cannot write \(file.path): \(String(cString: strerror(errno)))")
        }
    }

    static func remove() throws {
        if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
    }

    /// The gateway URL (no trailing slash) and token to use.
    static func target(values: ConfigValues) -> (url: String, token: String?) {
        let environment = ProcessInfo.processInfo.environment
        let saved = load()
        var url = values["gateway.url"] ?? environment["SLUICE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? saved?.url
            ?? "http://127.0.0.1:8080"
        while url.hasSuffix("/") { url.removeLast() }
        let token = environment["SLUICE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } ?? saved?.token
        return (url, token)
    }
}
