/// The Arrow types Sluice's chunks use. Cells are 64-bit integers, doubles, booleans or
/// UTF-8 text; a column whose cells mix kinds is a dense union of those kinds, so every
/// cell keeps its kind exactly (an integer `30` beside a double `39.5`).
public indirect enum ArrowType: Sendable, Equatable {
    /// Every value null (no buffers).
    case null
    case int64
    case float64
    case bool
    /// Days since 1970-01-01.
    case date32
    /// UTF-8 text with 32-bit offsets.
    case utf8
    /// A dense union: per value a type id and an offset into the child of that id.
    case denseUnion([ArrowField], typeIds: [Int8])
}

/// A named, typed column of a schema.
public struct ArrowField: Sendable, Equatable {
    public var name: String
    public var type: ArrowType
    public var nullable: Bool
    /// Key-value metadata of the field (Arrow `custom_metadata`), in order.
    public var metadata: [(key: String, value: String)]

    public init(name: String, type: ArrowType, nullable: Bool = true, metadata: [(key: String, value: String)] = []) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.metadata = metadata
    }

    public static func == (a: ArrowField, b: ArrowField) -> Bool {
        a.name == b.name && a.type == b.type && a.nullable == b.nullable
            && a.metadata.map(\.key) == b.metadata.map(\.key) && a.metadata.map(\.value) == b.metadata.map(\.value)
    }
}

/// One column's values in Arrow's physical layout: its buffers in the format's order
/// (validity first where the type has one; empty when there are no nulls) and its children.
public struct ArrowArray: Sendable, Equatable {
    public var type: ArrowType
    public var length: Int
    public var nullCount: Int
    /// The buffers, in IPC order: `null` none; `int64`, `float64`, `date32`, `bool`
    /// validity and values; `utf8` validity, offsets and data; `denseUnion` type ids and
    /// offsets (no validity: nulls live in the children).
    public var buffers: [[UInt8]]
    /// The children of a union, in the order of its fields.
    public var children: [ArrowArray]

    public init(type: ArrowType, length: Int, nullCount: Int, buffers: [[UInt8]], children: [ArrowArray] = []) {
        self.type = type
        self.length = length
        self.nullCount = nullCount
        self.buffers = buffers
        self.children = children
    }
}

/// A schema and the columns of one record batch, plus metadata of the whole stream.
public struct ArrowTable: Sendable, Equatable {
    public var fields: [ArrowField]
    public var columns: [ArrowArray]
    /// Schema-level metadata (`custom_metadata`), in order.
    public var metadata: [(key: String, value: String)]

    public init(fields: [ArrowField], columns: [ArrowArray], metadata: [(key: String, value: String)] = []) {
        self.fields = fields
        self.columns = columns
        self.metadata = metadata
    }

    /// Rows in the batch (every column has this length).
    public var rowCount: Int { columns.first?.length ?? 0 }

    public static func == (a: ArrowTable, b: ArrowTable) -> Bool {
        a.fields == b.fields && a.columns == b.columns
            && a.metadata.map(\.key) == b.metadata.map(\.key) && a.metadata.map(\.value) == b.metadata.map(\.value)
    }
}
