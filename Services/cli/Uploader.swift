import Contracts
import Foundation
import Outbound

/// Uploads a file to ingest (`POST /uploads`) and returns the upload id for `source.uploadId`.
struct Uploader {
    let ingestURL: String

    struct Receipt: Decodable { var uploadId: String }

    func upload(_ file: String) async throws -> String {
        let url = URL(fileURLWithPath: file)
        guard let body = FileManager.default.contents(atPath: url.path) else {
            throw CLIError(code: ExitCodes.usage, message: "cannot read \(file)")
        }
        let name = url.lastPathComponent.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "upload"
        let target = "\(ingestURL)/uploads?filename=\(name)"
        let result: HTTPResult
        do {
            result = try await Outbound.post(url: target, body: [UInt8](body), contentType: "application/octet-stream",
                                             timeout: .seconds(600))
        } catch {
            throw CLIError(code: ExitCodes.unavailable, message: "cannot reach \(target): \(error). Is ingest running?")
        }
        guard result.status == 201 else {
            throw CLIError(code: result.status == 413 ? ExitCodes.usage : ExitCodes.unavailable,
                           message: "upload refused (\(result.status)): \(String(decoding: result.body, as: UTF8.self))")
        }
        return try JSONCoding.decoder().decode(Receipt.self, from: Data(result.body)).uploadId
    }
}
