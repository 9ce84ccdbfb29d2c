import Foundation

/// A HyperLogLog sketch of the distinct values seen: 2^12 = 4,096 one-byte registers, so a
/// count of distinct values has a standard error of 1.04/√4096 ≈ 1.6 % (about 3.3 % at two
/// standard errors), with linear counting for small cardinalities (exact-ish below a few
/// hundred). Mergeable: the union of two sketches is the register-wise maximum, so partials
/// of many jobs combine into the distinct count of them all.
public struct DistinctSketch: Sendable, Hashable {
    /// Bits of the hash that choose the register.
    public static let precision = 12
    static let size = 1 << precision

    private(set) var registers: [UInt8]

    /// An empty sketch.
    public init() { registers = [UInt8](repeating: 0, count: Self.size) }

    /// Counts `value` (its canonical text: the same value gives the same text in every service).
    public mutating func add(_ value: String) { add(hash: StableHash.hash64(value)) }

    mutating func add(hash: UInt64) {
        let index = Int(hash >> UInt64(64 - Self.precision))
        let rest = hash << UInt64(Self.precision)
        let rank = UInt8(min(rest.leadingZeroBitCount, 64 - Self.precision) + 1)
        if rank > registers[index] { registers[index] = rank }
    }

    /// The union of both.
    public mutating func merge(_ other: DistinctSketch) {
        for i in 0..<Self.size where other.registers[i] > registers[i] { registers[i] = other.registers[i] }
    }

    /// The estimated number of distinct values.
    public var estimate: Double {
        let m = Double(Self.size)
        var sum = 0.0
        var zeros = 0
        for register in registers {
            sum += pow(2, -Double(register))
            if register == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        let raw = alpha * m * m / sum
        if raw <= 2.5 * m, zeros > 0 { return m * log(m / Double(zeros)) }
        return raw
    }
}

extension DistinctSketch: Codable {
    private enum CodingKeys: String, CodingKey { case p, sparse, dense }

    /// Sparse (index, value pairs) while few registers are set, else all registers; base64.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.precision, forKey: .p)
        let set = registers.indices.filter { registers[$0] != 0 }
        if set.count * 3 < Self.size {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(set.count * 3)
            for i in set { bytes += [UInt8(i >> 8), UInt8(i & 0xff), registers[i]] }
            try container.encode(Data(bytes).base64EncodedString(), forKey: .sparse)
        } else {
            try container.encode(Data(registers).base64EncodedString(), forKey: .dense)
        }
    }

    /// Decodes either form; another precision is refused.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard try container.decode(Int.self, forKey: .p) == Self.precision else {
            throw DecodingError.dataCorruptedError(forKey: .p, in: container, debugDescription: "precision \(Self.precision) expected")
        }
        self.init()
        if let dense = try container.decodeIfPresent(String.self, forKey: .dense) {
            guard let bytes = Data(base64Encoded: dense), bytes.count == Self.size else {
                throw DecodingError.dataCorruptedError(forKey: .dense, in: container, debugDescription: "bad registers")
            }
            registers = [UInt8](bytes)
        } else if let sparse = try container.decodeIfPresent(String.self, forKey: .sparse) {
            guard let bytes = Data(base64Encoded: sparse), bytes.count % 3 == 0 else {
                throw DecodingError.dataCorruptedError(forKey: .sparse, in: container, debugDescription: "bad registers")
            }
            let b = [UInt8](bytes)
            for k in stride(from: 0, to: b.count, by: 3) {
                let index = Int(b[k]) << 8 | Int(b[k + 1])
                guard index < Self.size else {
                    throw DecodingError.dataCorruptedError(forKey: .sparse, in: container, debugDescription: "bad index")
                }
                registers[index] = b[k + 2]
            }
        }
    }
}
