import Foundation
import Tabular

/// A stored reference table as `GET /api/v1/projects/{project}/references/{name}` shows it:
/// one version, with its first rows (docs/plans.md#lookup).
public struct StoredReference: Codable, Sendable, Hashable {
    /// The name plans' `lookup` steps give.
    public var name: String
    /// 1, 2, …: every upload stores the next version; old ones stay readable.
    public var version: Int
    /// `name@version`.
    public var reference: String
    /// The header.
    public var columns: [String]
    /// How many rows the version holds.
    public var rows: Int
    /// When the version was stored.
    public var createdAt: Date
    /// Its first rows (`limit`, default 100; none in lists).
    public var data: [[CellValue]]
}
