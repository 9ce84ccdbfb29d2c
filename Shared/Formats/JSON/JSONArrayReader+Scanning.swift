/// The byte scanner behind `JSONArrayReader`: finds array structure and element ends.
extension JSONArrayReader {
    /// Runs the scanner over one block.
    public mutating func scan(
        _ buffer: UnsafeBufferPointer<UInt8>, into rows: inout [SourceRow]
    ) throws(FormatError) {
        let end = buffer.count
        var index = 0
        defer { blockOffset += end }
        while index < end {
            if phase == .element {
                index = try scanElement(buffer, from: index, into: &rows)
                continue
            }
            let byte = buffer[index]
            switch byte {
            case 0x20, 0x09, 0x0D:
                index += 1
                continue
            case 0x0A:
                index += 1
                newLine(at: index)
                continue
            default:
                break
            }
            try structural(byte, at: index)
            if phase != .element { index += 1 }
        }
    }

    /// Acts on a non-whitespace byte outside any element.
    private mutating func structural(_ byte: UInt8, at index: Int) throws(FormatError) {
        let here = "line \(line), column \(blockOffset + index - lineStart + 1)"
        switch phase {
        case .start:
            guard byte == UInt8(ascii: "[") else {
                let found = byte == UInt8(ascii: "{")
                    ? "a single object" : "'\(Self.describe(byte))' at \(here)"
                throw FormatError(.jsonNotAnArray, message: "A json source must be one array of "
                    + "objects ([{...}, {...}]) but this file starts with \(found). Wrap the "
                    + "records in [ ] or upload the file as JSON Lines.")
            }
            phase = .firstElement
        case .firstElement, .nextElement:
            if byte == UInt8(ascii: "{") {
                record += 1
                elementLine = line
                elementColumn = blockOffset + index - lineStart + 1
                depth = 0
                inString = false
                escaped = false
                phase = .element
            } else if byte == UInt8(ascii: "]"), phase == .firstElement {
                phase = .done
            } else if byte == UInt8(ascii: "]") {
                throw FormatError(.jsonSyntax, message: "At \(here): a ',' after record \(record) "
                    + "must be followed by another record, not ']'. Remove the trailing comma.")
            } else if let kind = Self.valueKind(byte) {
                throw JSONFailure.notAnObject(found: kind).formatError(
                    place: "Record \(record + 1) (\(here))", line: record + 1, limits: limits)
            } else {
                throw FormatError(.jsonSyntax, message:
                    "At \(here): expected a record but found '\(Self.describe(byte))'.")
            }
        case .afterElement:
            if byte == UInt8(ascii: ",") {
                phase = .nextElement
            } else if byte == UInt8(ascii: "]") {
                phase = .done
            } else {
                throw FormatError(.jsonSyntax, message: "At \(here): expected ',' or ']' after "
                    + "record \(record) but found '\(Self.describe(byte))'.")
            }
        case .done:
            throw FormatError(.jsonSyntax, message: "At \(here): unexpected "
                + "'\(Self.describe(byte))' after the closing ']' of the array.")
        case .element:
            break
        }
    }

    /// Scans element bytes from `start`; returns where scanning stopped (the block end,
    /// or just after the element's closing brace, whose row is then appended).
    private mutating func scanElement(
        _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, into rows: inout [SourceRow]
    ) throws(FormatError) -> Int {
        let end = buffer.count
        let maxDepth = limits.maxDepth
        var index = start
        var depth = self.depth
        var inString = self.inString
        var escaped = self.escaped
        var complete = false
        scanning: while index < end {
            if inString {
                if escaped {
                    escaped = false
                    index += 1
                    continue
                }
                // Skip ordinary string content in a tight loop.
                while index < end {
                    let byte = buffer[index]
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x0A { break }
                    index += 1
                }
                guard index < end else { break }
                let byte = buffer[index]
                index += 1
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                } else {
                    newLine(at: index)
                }
                continue
            }
            let byte = buffer[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > maxDepth {
                    let column = blockOffset + index - lineStart
                    throw JSONFailure.tooDeep(at: 0).formatError(
                        place: "Record \(record) (line \(line), column \(column))",
                        line: record, limits: limits)
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    complete = true
                    break scanning
                }
            case 0x0A:
                newLine(at: index)
            default:
                break
            }
        }
        self.depth = depth
        self.inString = inString
        self.escaped = escaped
        let piece = UnsafeBufferPointer(rebasing: buffer[start..<index])
        guard element.count + piece.count <= limits.maxRecordBytes else {
            throw FormatError(.recordTooLong, line: record, message: "Record \(record) (starting "
                + "on line \(elementLine)) is longer than the limit of \(limits.maxRecordBytes) "
                + "bytes. Split it up or raise the record size limit.")
        }
        guard complete else {
            element.append(contentsOf: piece)
            return index
        }
        if element.isEmpty {
            try parseElement(piece, into: &rows)
        } else {
            element.append(contentsOf: piece)
            var whole: [UInt8] = []
            swap(&whole, &element)
            try whole.withUnsafeBufferPointer { (buffer) throws(FormatError) in
                try parseElement(buffer, into: &rows)
            }
            // Reuse the buffer, unless a huge element made it worth giving back.
            if whole.capacity <= 1 << 20 {
                whole.removeAll(keepingCapacity: true)
                element = whole
            }
        }
        phase = .afterElement
        return index
    }

    /// Parses one complete element and appends its rows.
    private mutating func parseElement(
        _ bytes: UnsafeBufferPointer<UInt8>, into rows: inout [SourceRow]
    ) throws(FormatError) {
        do {
            try parser.parse(bytes)
            try shaper.shape(parser, line: record, into: &rows)
        } catch {
            var place = "Record \(record)"
            if let offset = error.offset {
                let at = JSONPosition.locate(offset, in: bytes, startLine: elementLine,
                                             startColumn: elementColumn)
                place += " (line \(at.line), column \(at.column))"
            } else {
                place += " (starting on line \(elementLine))"
            }
            throw error.formatError(place: place, line: record, limits: limits)
        }
    }

    /// Notes a line break whose following byte is at `index` in the current block.
    @inline(__always)
    private mutating func newLine(at index: Int) {
        line += 1
        lineStart = blockOffset + index
    }

    /// What kind of JSON value starts with `byte`, if any.
    public static func valueKind(_ byte: UInt8) -> String? {
        switch byte {
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): "a number"
        default: nil
        }
    }

    static func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16, uppercase: true)
    }
}
