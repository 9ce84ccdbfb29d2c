import Toolkit
import ArgumentParser
import Contracts
import Foundation
import Outbound
import Runtime

/// The gateway's API (`/api/v1`) as the CLI uses it: JSON in and out, the caller's token in
/// `Authorization` (see ``Credentials``), and failures turned into ``CLIError``s: a refused
/// request (4xx, an RFC 9457 problem document) exits with ``ExitCodes/usage``, an unreachable
/// or failing gateway with ``ExitCodes/unavailable``.
struct APIClient: Sendable {
    /// The API's base URL, e.g. `http://127.0.0.1:8080/api/v1`.
    let baseURL: String
    /// The bearer token, if the caller signed in or set `SLUICE_TOKEN`.
    let token: String?

    init(global: GlobalOptions) throws {
        let values: ConfigValues
        do { values = try global.values() } catch {
            throw CLIError(code: ExitCodes.usage, message: describe(error))
        }
        let target = Credentials.target(values: values)
        baseURL = target.url + "/api/v1"
        token = target.token
    }

    /// GETs `path` (already escaped) with `query` and decodes the answer.
    func get<T: Decodable>(_ type: T.Type, _ path: String, query: [(String, String?)] = []) async throws -> T {
        let target = path + Self.query(query)
        return try decode(type, try await perform("GET", target, body: []), target)
    }

    /// Sends `body` as JSON with `method` and decodes the answer.
    func send<T: Decodable>(_ type: T.Type, _ method: String, _ path: String, body: some Encodable,
                            query: [(String, String?)] = []) async throws -> T {
        let bytes: [UInt8]
        do { bytes = try JSONCoding.encode(body) } catch {
            throw CLIError(code: ExitCodes.usage, message: "cannot encode the request: \(describe(error))")
        }
        let target = path + Self.query(query)
        return try decode(type, try await perform(method, target, body: bytes), target)
    }

    /// Sends `method` to `path` without a body worth sending, expecting no answer (e.g. DELETE).
    func call(_ method: String, _ path: String) async throws {
        _ = try await perform(method, path, body: Array("{}".utf8))
    }

    /// POSTs `body` as JSON, expecting no answer worth decoding.
    func post(_ path: String, _ body: some Encodable) async throws {
        let bytes: [UInt8]
        do { bytes = try JSONCoding.encode(body) } catch {
            throw CLIError(code: ExitCodes.usage, message: "cannot encode the request: \(describe(error))")
        }
        _ = try await perform("POST", path, body: bytes)
    }

    /// Downloads `path` into the file `target`.
    func download(_ path: String, to target: String) async throws {
        let result = try await perform("GET", path, body: [], maxResponseBytes: 4 << 30)
        try Data(result.body).write(to: URL(fileURLWithPath: target))
    }

    /// Uploads `file` with the submission `options` (JSON) as `multipart/form-data`, streamed
    /// from disk by libcurl, and decodes the answer.
    func upload<T: Decodable>(_ type: T.Type, _ path: String, options: [UInt8], file: String,
                              headers extra: [String: String] = [:]) async throws -> T {
        let url = baseURL + path
        var headers = extra.merging(["Accept": "application/json"]) { a, _ in a }
        if let token { headers["Authorization"] = "Bearer " + token }
        let form = MultipartForm(fields: [("options", String(decoding: options, as: UTF8.self), "application/json")],
                                 file: ("file", file, (file as NSString).lastPathComponent))
        let result: HTTPResult
        do {
            result = try await Outbound.post(url: url, body: [], headers: headers, timeout: .seconds(3600),
                                             maxResponseBytes: 16 << 20, multipart: form)
        } catch {
            throw CLIError(code: ExitCodes.unavailable, message: "cannot reach \(url): \(error). Is the gateway running (sluice dev)?")
        }
        guard (200..<300).contains(result.status) else {
            throw CLIError(code: result.status < 500 ? ExitCodes.usage : ExitCodes.unavailable,
                           message: Self.refusal(result, method: "POST", url: url))
        }
        return try decode(type, result, path)
    }

    /// Sends JSON and decodes the answer, with extra headers (e.g. `Idempotency-Key`).
    func send<T: Decodable>(_ type: T.Type, _ method: String, _ path: String, bytes: [UInt8],
                            headers: [String: String]) async throws -> T {
        try decode(type, try await perform(method, path, body: bytes, extra: headers), path)
    }

    private func perform(_ method: String, _ target: String, body: [UInt8],
                         extra: [String: String] = [:], maxResponseBytes: Int = 64 << 20) async throws -> HTTPResult {
        let url = baseURL + target
        var headers = extra.merging(["Accept": "application/json"]) { a, _ in a }
        if let token { headers["Authorization"] = "Bearer " + token }
        // libcurl reads a POST body from standard input when it is given none: always send one.
        let payload: [UInt8] = method == "GET" ? [] : (body.isEmpty ? Array("{}".utf8) : body)
        let result: HTTPResult
        do {
            result = try await Outbound.post(url: url, body: payload, contentType: "application/json", method: method,
                                             headers: headers, timeout: .seconds(method == "GET" ? 600 : 60),
                                             maxResponseBytes: maxResponseBytes)
        } catch {
            throw CLIError(code: ExitCodes.unavailable, message: "cannot reach \(url): \(error). Is the gateway running (sluice dev)?")
        }
        switch result.status {
        case 200..<300: return result
        case 400..<500: throw CLIError(code: ExitCodes.usage, message: Self.refusal(result, method: method, url: url))
        default:
            let text = oneLine(String(decoding: result.body, as: UTF8.self), width: 300)
            throw CLIError(code: ExitCodes.unavailable, message: "\(method) \(url) answered \(result.status): \(text)")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ result: HTTPResult, _ target: String) throws -> T {
        do { return try JSONCoding.decoder().decode(T.self, from: Data(result.body)) } catch {
            throw CLIError(code: ExitCodes.unavailable, message: "unexpected answer from \(baseURL)\(target): \(describe(error))")
        }
    }

    /// An RFC 9457 problem document, as the gateway sends it with every error.
    private struct ProblemAnswer: Decodable { var code: String; var detail: String }

    /// `<code>: <detail>` from a problem document, else what there is.
    static func refusal(_ result: HTTPResult, method: String, url: String) -> String {
        if let answer = try? JSONDecoder().decode(ProblemAnswer.self, from: Data(result.body)) {
            let hint = result.status == 401 ? " (sign in with `sluice login`, or set SLUICE_TOKEN)" : ""
            return "\(answer.code): \(answer.detail)\(hint)"
        }
        if result.status == 404 { return "\(method) \(url) was not found; is SLUICE_URL the gateway?" }
        return "\(method) \(url) answered \(result.status): \(oneLine(String(decoding: result.body, as: UTF8.self), width: 300))"
    }

    /// `?name=value&…` of the items that have a value (names and values percent-encoded),
    /// or "" when none has.
    static func query(_ items: [(String, String?)]) -> String {
        let pairs = items.compactMap { item in item.1.map { "\(escape(item.0))=\(escape($0))" } }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    /// `text` percent-encoded for a path segment or a query value (RFC 3986 unreserved kept).
    static func escape(_ text: String) -> String { PercentEncoding.encode(text) }

    /// A time for tables, e.g. `2026-01-02T03:04:05Z`; "" for none.
    static func time(_ date: Date?) -> String { date.map { $0.formatted(.iso8601) } ?? "" }

    /// A number without a needless fraction (`10`, `2.5`).
    static func number(_ value: Double) -> String {
        value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.2f", value)
    }
}

/// `text` on one line (line breaks become spaces), cut to `width` characters with `…`.
func oneLine(_ text: String?, width: Int = Int.max) -> String {
    let line = (text ?? "").split(whereSeparator: \.isNewline).joined(separator: " ")
    return line.count > width ? String(line.prefix(max(0, width - 1))) + "…" : line
}
