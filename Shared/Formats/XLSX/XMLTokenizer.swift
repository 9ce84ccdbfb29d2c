import Foundation

/// A streaming tokenizer for the XML subset OOXML parts use.
///
/// Fed the decompressed bytes of a part in blocks, it reports start tags, end tags
/// and character data to an `XMLHandler` as soon as each token is complete, and
/// buffers only an unfinished token, so a sheet of any size is parsed in bounded
/// memory. It understands elements, attributes (either quote), entity and
/// character references, CDATA sections, comments, processing instructions and a
/// DOCTYPE (skipped; no custom entities are ever expanded, so entity-expansion
/// bombs have nothing to work with). It does not validate well-formedness beyond
/// what reading needs: the handlers only look at the elements they know.
public struct XMLTokenizer: Sendable {
    /// The longest token (tag or text run) buffered before giving up.
    public let maxTokenBytes: Int
    /// The part's name, for messages.
    public let part: String
    /// Unconsumed bytes: the start of a token that is not complete yet.
    private var pending: [UInt8] = []

    /// A tokenizer for the package part named `part` (for messages), refusing any single
    /// token longer than `maxTokenBytes`.
    public init(part: String, maxTokenBytes: Int) {
        self.part = part
        self.maxTokenBytes = maxTokenBytes
    }

    /// Tokenizes the next block.
    public mutating func feed<H: XMLHandler>(_ data: Data, into handler: inout H) throws(FormatError) {
        pending.append(contentsOf: data)
        try drain(into: &handler, atEnd: false)
    }

    /// Tokenizes the next block.
    public mutating func feed<H: XMLHandler>(_ bytes: [UInt8], into handler: inout H) throws(FormatError) {
        pending.append(contentsOf: bytes)
        try drain(into: &handler, atEnd: false)
    }

    /// Ends the part: trailing text is reported, an unfinished tag is an error.
    public mutating func finish<H: XMLHandler>(into handler: inout H) throws(FormatError) {
        try drain(into: &handler, atEnd: true)
        if !pending.isEmpty {
            throw FormatError(.xlsxInvalid, message: "The workbook part \(part) ends in the "
                + "middle of a tag; the file is damaged. Re-save it in Excel and upload it again.")
        }
    }

    private mutating func drain<H: XMLHandler>(into handler: inout H, atEnd: Bool) throws(FormatError) {
        // Moved out (not copied) so the buffer stays uniquely owned and reusable.
        var bytes: [UInt8] = []
        swap(&bytes, &pending)
        let consumed = try bytes.withUnsafeBufferPointer { (buffer) throws(FormatError) -> Int in
            try scan(buffer, into: &handler, atEnd: atEnd)
        }
        if consumed == bytes.count {
            bytes.removeAll(keepingCapacity: true)
        } else if consumed > 0 {
            bytes.removeSubrange(0..<consumed)
        }
        pending = bytes
        if pending.count > maxTokenBytes {
            throw FormatError(.fieldTooLong, message: "The workbook part \(part) has a value or "
                + "tag longer than the limit of \(maxTokenBytes) bytes. Shorten the cell or "
                + "raise the limit.")
        }
    }

    /// Reports every complete token in `buffer`; returns how many bytes were consumed.
    private func scan<H: XMLHandler>(
        _ buffer: UnsafeBufferPointer<UInt8>, into handler: inout H, atEnd: Bool
    ) throws(FormatError) -> Int {
        let end = buffer.count
        var index = 0
        while index < end {
            if buffer[index] != UInt8(ascii: "<") {
                let start = index
                while index < end, buffer[index] != UInt8(ascii: "<") { index += 1 }
                if index == end, !atEnd { return start }
                if handler.wantsText {
                    try report(UnsafeBufferPointer(rebasing: buffer[start..<index]), to: &handler)
                }
                continue
            }
            guard let next = try markup(buffer, at: index, into: &handler) else { return index }
            index = next
        }
        return index
    }

    /// Handles the markup starting with `<` at `start`; returns the index after it, or
    /// `nil` if it is not complete in `buffer` yet.
    private func markup<H: XMLHandler>(
        _ buffer: UnsafeBufferPointer<UInt8>, at start: Int, into handler: inout H
    ) throws(FormatError) -> Int? {
        let end = buffer.count
        guard start + 1 < end else { return nil }
        switch buffer[start + 1] {
        case UInt8(ascii: "?"):
            return find("?>", in: buffer, from: start + 2)
        case UInt8(ascii: "!"):
            if starts(buffer, at: start, with: "<!--") {
                return find("-->", in: buffer, from: start + 4)
            }
            if starts(buffer, at: start, with: "<![CDATA[") {
                guard let after = find("]]>", in: buffer, from: start + 9) else { return nil }
                if handler.wantsText {
                    let content = UnsafeBufferPointer(rebasing: buffer[(start + 9)..<(after - 3)])
                    guard let text = UTF8Text.decode(content) else { throw notUTF8() }
                    try handler.text(text)
                }
                return after
            }
            guard start + 9 <= end else { return nil }
            return closingAngle(buffer, from: start + 2).map { $0 + 1 }
        case UInt8(ascii: "/"):
            guard let close = closingAngle(buffer, from: start + 2) else { return nil }
            let body = UnsafeBufferPointer(rebasing: buffer[(start + 2)..<close])
            try handler.end(XMLTag(bytes: body, name: localName(body)))
            return close + 1
        default:
            guard let close = closingAngle(buffer, from: start + 1) else { return nil }
            let selfClosing = buffer[close - 1] == UInt8(ascii: "/")
            let body = UnsafeBufferPointer(rebasing: buffer[(start + 1)..<(selfClosing ? close - 1 : close)])
            let tag = XMLTag(bytes: body, name: localName(body))
            try handler.start(tag)
            if selfClosing { try handler.end(tag) }
            return close + 1
        }
    }

    /// Decodes a text run and hands it over.
    private func report<H: XMLHandler>(
        _ bytes: UnsafeBufferPointer<UInt8>, to handler: inout H
    ) throws(FormatError) {
        guard let text = XMLText.decode(bytes) else { throw notUTF8() }
        try handler.text(text)
    }

    /// The index of the `>` closing a tag, skipping `>` inside quoted attribute values.
    private func closingAngle(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var quote: UInt8 = 0
        var index = start
        while index < buffer.count {
            let byte = buffer[index]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == UInt8(ascii: ">") {
                return index
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            }
            index += 1
        }
        return nil
    }

    /// The range of the element's local name within a tag body.
    private func localName(_ body: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = 0
        var index = 0
        while index < body.count, !XMLTag.isSpace(body[index]) {
            if body[index] == UInt8(ascii: ":") { start = index + 1 }
            index += 1
        }
        return start..<index
    }

    /// The index just after the first occurrence of `terminator` at or after `start`.
    private func find(_ terminator: StaticString, in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let count = terminator.utf8CodeUnitCount
        var index = start
        while index + count <= buffer.count {
            if starts(buffer, at: index, with: terminator) { return index + count }
            index += 1
        }
        return nil
    }

    private func starts(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int, with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index + count <= buffer.count else { return false }
        return XMLTag.equal(buffer, index..<(index + count), prefix)
    }

    private func notUTF8() -> FormatError {
        FormatError(.xlsxInvalid, message: "The workbook part \(part) is not valid UTF-8; the "
            + "file is damaged. Re-save it in Excel and upload it again.")
    }
}
