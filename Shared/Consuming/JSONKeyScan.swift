import Tabular

/// One pass over a JSON body that finds what JSONDecoder and PostgreSQL disagree on: a
/// duplicate key in any object (Swift keeps the first, `jsonb` the last) and a `\u0000`
/// escape (which `jsonb` rejects). Strings are read with `JSONLexer`; the structure is only
/// followed, not checked, and malformed input is left to the decoder, which reports it better.
enum JSONKeyScan {
    enum Finding: Equatable {
        case duplicateKey(String)
        case nulEscape
    }

    private struct Key {
        var start: Int
        var count: Int
        var hash: UInt64
        /// Escaped keys are compared in decoded form, kept in `decoded`.
        var decoded: Bool
    }

    static func scan(_ body: [UInt8]) -> Finding? {
        body.withUnsafeBufferPointer { scan($0) }
    }

    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Finding? {
        var keys: [Key] = []           // the keys of every open object, innermost last
        var frames: [(isObject: Bool, firstKey: Int)] = []
        var expectingKey = false
        var decoded: [UInt8] = []
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "{"):
                frames.append((true, keys.count))
                expectingKey = true
            case UInt8(ascii: "["):
                frames.append((false, keys.count))
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let frame = frames.popLast() { keys.removeSubrange(frame.firstKey...) }
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = frames.last?.isObject ?? false
            case UInt8(ascii: "\""):
                let start = i + 1
                var end = JSONLexer.plainRunEnd(bytes, from: start)
                let isKey = expectingKey && frames.last?.isObject == true
                var key = Key(start: start, count: end - start, hash: 0, decoded: false)
                if end >= n || bytes[end] != UInt8(ascii: "\"") {
                    // Escapes (or a malformed string): decode, keeping NUL to find it.
                    let first = decoded.count
                    guard let next = try? JSONLexer.decodeString(bytes, from: start, appendingUTF8: &decoded,
                                                                 replacingNUL: false)
                    else { return nil }
                    if decoded[first...].contains(0) { return .nulEscape }
                    key = Key(start: first, count: decoded.count - first, hash: 0, decoded: true)
                    if !isKey { decoded.removeSubrange(first...) }
                    end = next - 1
                }
                if isKey, let frame = frames.last {
                    key.hash = hash(key, bytes, decoded)
                    for other in keys[frame.firstKey...] where other.hash == key.hash && other.count == key.count
                        && equal(other, key, bytes, decoded) {
                        return .duplicateKey(text(key, bytes, decoded))
                    }
                    keys.append(key)
                    expectingKey = false
                }
                i = end
            default:
                break
            }
            i += 1
        }
        return nil
    }

    private static func hash(_ key: Key, _ bytes: UnsafeBufferPointer<UInt8>, _ decoded: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in 0..<key.count {
            h = (h ^ UInt64(key.decoded ? decoded[key.start + k] : bytes[key.start + k])) &* 0x100_0000_01b3
        }
        return h
    }

    private static func equal(_ a: Key, _ b: Key, _ bytes: UnsafeBufferPointer<UInt8>, _ decoded: [UInt8]) -> Bool {
        for k in 0..<a.count {
            let x = a.decoded ? decoded[a.start + k] : bytes[a.start + k]
            let y = b.decoded ? decoded[b.start + k] : bytes[b.start + k]
            if x != y { return false }
        }
        return true
    }

    private static func text(_ key: Key, _ bytes: UnsafeBufferPointer<UInt8>, _ decoded: [UInt8]) -> String {
        key.decoded ? String(decoding: decoded[key.start..<(key.start + key.count)], as: UTF8.self)
            : String(decoding: UnsafeBufferPointer(rebasing: bytes[key.start..<(key.start + key.count)]), as: UTF8.self)
    }
}
