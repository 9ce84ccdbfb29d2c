import Contracts

/// Checks a body before any handler sees it. Inputs that can never succeed are permanent
/// errors: bodies that are not an envelope, and JSON that PostgreSQL would store differently
/// than Swift reads it (a `\u0000` escape, which jsonb rejects).
enum EnvelopeCheck {
    static func head(of body: [UInt8]) throws -> EnvelopeHead {
        if containsNulEscape(body) {
            throw SluiceError.permanent("message.nul-character", "the body contains a \\u0000 escape, which cannot be stored")
        }
        do {
            return try JSONCoding.decode(EnvelopeHead.self, from: body)
        } catch {
            throw SluiceError.permanent("message.undecodable", "the body is not a Sluice JSON envelope: \(describe(error))")
        }
    }

    static func containsNulEscape(_ body: [UInt8]) -> Bool {
        let pattern: [UInt8] = Array("\\u0000".utf8)
        guard body.count >= pattern.count else { return false }
        var i = 0
        while i <= body.count - pattern.count {
            if body[i] == 0x5C {
                if body[i + 1] == 0x5C { i += 2; continue }  // an escaped backslash
                if Array(body[i..<(i + pattern.count)]) == pattern { return true }
            }
            i += 1
        }
        return false
    }
}
