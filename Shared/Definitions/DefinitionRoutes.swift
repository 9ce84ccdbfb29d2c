import Contracts
import Foundation
import Hosting
import Hummingbird

/// The HTTP API of a ``DefinitionStore``:
/// - `PUT /<path>/:name` stores the request body as the next version (after `check`);
/// - `GET /<path>` lists the latest version of each;
/// - `GET /<path>/:name[?version=N]` returns one.
public enum DefinitionRoutes {
    /// Adds the routes. `check` validates a body and returns the JSON to store, or throws a
    /// `SluiceError` whose message says what is wrong (answered as 422).
    public static func add(to router: Router<SluiceRequestContext>, path: String, maxBytes: Int = 1 << 20,
                           store: @escaping @Sendable () -> DefinitionStore,
                           check: @escaping @Sendable (String) throws -> String) {
        router.put("\(path)/:name") { request, context in
            let name = try context.parameters.require("name")
            let buffer = try await request.body.collect(upTo: maxBytes)
            let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
            let body: String
            do {
                body = try check(text)
            } catch let error as SluiceError {
                return HTTPResponses.error(.unprocessableContent, error.code, error.message)
            }
            do {
                return HTTPResponses.json(try await store().put(name: name, body: body), status: .created)
            } catch let error as SluiceError where error.disposition == .permanent {
                return HTTPResponses.error(.badRequest, error.code, error.message)
            }
        }
        router.get(RouterPath(path)) { _, _ in
            HTTPResponses.json(try await store().list())
        }
        router.get("\(path)/:name") { request, context in
            let name = try context.parameters.require("name")
            let version = request.uri.queryParameters.get("version", as: Int.self)
            guard let found = try await store().get(name: name, version: version) else {
                return HTTPResponses.error(.notFound, "\(store().kind).not-found", "no stored \(store().kind) \(name)"
                                           + (version.map { " version \($0)" } ?? ""))
            }
            return HTTPResponses.json(found)
        }
    }
}
