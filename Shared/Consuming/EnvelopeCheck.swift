import Contracts
import Runtime

/// Checks a body before any handler sees it. Inputs that can never succeed are permanent
/// errors: bodies that are not an envelope, and JSON that PostgreSQL would store differently
/// than Swift reads it (a `\u0000` escape, which jsonb rejects; a duplicate key, of which
/// Swift keeps the first and jsonb the last).
enum EnvelopeCheck {
    static func head(of body: [UInt8]) throws -> EnvelopeHead {
        switch JSONKeyScan.scan(body) {
        case .nulEscape:
            throw SluiceError.permanent("message.nul-character", "the body contains a \\u0000 escape, which cannot be stored")
        case .duplicateKey(let key):
            throw SluiceError.permanent("message.duplicate-key",
                "the body has the key \"\(key)\" twice in one object; which one counts would depend on the reader")
        case nil:
            break
        }
        do {
            return try JSONCoding.decode(EnvelopeHead.self, from: body)
        } catch {
            throw SluiceError.permanent("message.undecodable", "the body is not a Sluice JSON envelope: \(describe(error))")
        }
    }
}
