import Toolkit
import ArgumentParser
import Contracts
import Foundation
import Outbound
import Runtime

/// The incident service's HTTP API as the CLI uses it: JSON in and out, the operator's name
/// in `X-Sluice-Actor` on every request that changes something, and failures turned into
/// ``CLIError``s: a refused request (4xx, `{"error":{"code","message"}}`) exits with
/// ``ExitCodes/usage``, an unreachable or failing service with ``ExitCodes/unavailable``.
struct IncidentAPI: Sendable {
    /// The service's base URL, e.g. `http://127.0.0.1:8088`.
    let baseURL: String
    /// Who is acting, sent with every request that is not a GET.
    let actor: String

    init(global: GlobalOptions, actor: String? = nil) throws {
        let values: ConfigValues
        do { values = try global.values() } catch {
            throw CLIError(code: ExitCodes.usage, message: describe(error))
        }
        let base = global.serviceURL("incident", values: values)
        baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.actor = Self.actorName(actor)
    }

    /// `--actor`, else `USER`, else `LOGNAME`, else `operator` (control characters removed,
    /// so the name cannot break the header).
    static func actorName(_ option: String?) -> String {
        let environment = ProcessInfo.processInfo.environment
        for candidate in [option, environment["USER"], environment["LOGNAME"]] {
            let scalars = (candidate ?? "").unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }
            let name = String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { return name }
        }
        return "operator"
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

    private func perform(_ method: String, _ target: String, body: [UInt8]) async throws -> HTTPResult {
        let url = baseURL + target
        var headers = ["Accept": "application/json"]
        if method != "GET" { headers["X-Sluice-Actor"] = actor }
        // libcurl reads a POST body from standard input when it is given none: always send one.
        let payload: [UInt8] = method == "GET" ? [] : (body.isEmpty ? Array("{}".utf8) : body)
        let result: HTTPResult
        do {
            result = try await Outbound.post(url: url, body: payload, contentType: "application/json", method: method,
                                             headers: headers, timeout: .seconds(30), maxResponseBytes: 64 << 20)
        } catch {
            throw CLIError(code: ExitCodes.unavailable, message: "cannot reach \(url): \(error). Is the incident service running?")
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

    /// `{"error":{"code","message"}}`, as the service sends it with a 4xx.
    private struct ErrorAnswer: Decodable {
        struct Detail: Decodable { var code: String; var message: String }
        var error: Detail
    }

    /// `<code>: <message>` from an error answer, else what there is.
    static func refusal(_ result: HTTPResult, method: String, url: String) -> String {
        if let answer = try? JSONDecoder().decode(ErrorAnswer.self, from: Data(result.body)) {
            return "\(answer.error.code): \(answer.error.message)"
        }
        if result.status == 404 { return "\(method) \(url) was not found; is incident.url the incident service?" }
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

/// `--actor`: who is acting, for the commands that change something.
struct ActorOptions: ParsableArguments {
    @Option(help: "Who is acting, recorded in the timeline and audit log (default: $USER, else operator).")
    var actor: String?
}
