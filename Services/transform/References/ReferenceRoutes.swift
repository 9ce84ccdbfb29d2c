import Contracts
import Foundation
import Hosting
import Hummingbird
import Plans
import Tabular

/// The internal HTTP API of the reference tables (the gateway forwards to it per project):
/// - `PUT /references/:name` stores a CSV file with a header row, or a JSON array of
///   objects, as the next version (422 with the reason when it cannot be a table);
/// - `GET /references` lists the latest version of each;
/// - `GET /references/:name[?version=N][&limit=N]` returns one with its first `limit` rows
///   (default 100).
enum ReferenceRoutes {
    /// One stored version and its first rows.
    struct Shown: Codable, Sendable {
        var name: String
        var version: Int
        var reference: String
        var columns: [String]
        var rows: Int
        var createdAt: Date
        var data: [[CellValue]]
    }

    static func add(to router: Router<SluiceRequestContext>, store: @escaping @Sendable () -> ReferenceStore) {
        router.put("references/:name") { request, context in
            let name = try context.parameters.require("name")
            let buffer = try await request.body.collect(upTo: 64 << 20)
            let table: ReferenceTable
            do { table = try ReferenceTable.parse(Data(buffer.readableBytesView)) } catch let error as PlanError {
                return HTTPResponses.error(.unprocessableContent, error.code.rawValue, error.detail)
            }
            do {
                return HTTPResponses.json(shown(try await store().put(name: name, table: table), table, limit: 20),
                                          status: .created)
            } catch let error as SluiceError where error.disposition == .permanent {
                return HTTPResponses.error(.badRequest, error.code, error.message)
            }
        }
        router.get("references") { _, _ in
            HTTPResponses.json(try await store().list().map { summary in
                Shown(name: summary.name, version: summary.version, reference: summary.reference, columns: summary.columns,
                      rows: summary.rows, createdAt: summary.createdAt, data: [])
            })
        }
        router.get("references/:name") { request, context in
            let name = try context.parameters.require("name")
            let version = request.uri.queryParameters.get("version", as: Int.self)
            let limit = max(0, min(request.uri.queryParameters.get("limit", as: Int.self) ?? 100, ReferenceTable.maxRows))
            guard let (summary, table) = try await store().get(name: name, version: version) else {
                return HTTPResponses.error(.notFound, "reference.not-found", "no stored reference table \(name)"
                                           + (version.map { " version \($0)" } ?? ""))
            }
            return HTTPResponses.json(shown(summary, table, limit: limit))
        }
    }

    private static func shown(_ summary: ReferenceStore.Summary, _ table: ReferenceTable, limit: Int) -> Shown {
        Shown(name: summary.name, version: summary.version, reference: summary.reference, columns: summary.columns,
              rows: summary.rows, createdAt: summary.createdAt, data: Array(table.rows.prefix(limit)))
    }
}
