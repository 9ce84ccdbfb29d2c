import Foundation
@testable import GatewayService
import Testing

/// docs/access.md's role matrix, read as a table: the source of truth the live access tests
/// use. Here it is held equal to the code's `Permission.roles`.
@Suite("Access matrix document")
struct AccessMatrixDocumentTests {
    /// permission → roles granted, from the markdown table.
    static func matrix() throws -> [String: Set<String>] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../docs/access.md")
        let text = try String(contentsOf: root.standardizedFileURL, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## The role matrix").dropFirst().first)
        let lines = section.split(separator: "\n").filter { $0.hasPrefix("| `") }
        var result: [String: Set<String>] = [:]
        let roles = ["admin", "operator", "member", "viewer"]
        for line in lines {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let permission = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            result[permission] = Set(roles.enumerated().filter { cells[$0.offset + 1] == "yes" }.map(\.element))
        }
        return result
    }

    @Test("every permission is in the table, with the roles the code grants")
    func matrixMatchesCode() throws {
        let matrix = try Self.matrix()
        #expect(Set(matrix.keys) == Set(Permission.allCases.map(\.rawValue)))
        for permission in Permission.allCases {
            #expect(matrix[permission.rawValue] == Set(permission.roles.map(\.rawValue)), "\(permission.rawValue)")
        }
    }
}
