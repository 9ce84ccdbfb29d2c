/// The byte-level state machine behind `CSVReader`.
///
/// The hot loops run over raw buffers and only look for the few bytes that matter in
/// the current state; field text is decoded once per field from a byte slice. Field
/// bytes are copied into `field` only when a field straddles two blocks or contains a
/// doubled quote, so the common case decodes straight out of the caller's buffer.
extension CSVReader {
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// Runs the state machine over one block of bytes.
    mutating func scan(_ buffer: UnsafeBufferPointer<UInt8>, into records: inout [CSVRecord]) {
        let delimiter = dialect.delimiter
        let quote = dialect.quote
        let lf = Self.lf
        let cr = Self.cr
        let end = buffer.count
        var index = 0

        while index < end {
            switch state {
            case .fieldStart:
                let byte = buffer[index]
                if byte == lf || byte == cr {
                    index += 1
                    if byte == lf, pendingCR {
                        pendingCR = false
                        continue
                    }
                    pendingCR = byte == cr
                    line += 1
                    if recordStarted {
                        guard completeField(buffer[index..<index]) else { return }
                        endRecord(into: &records)
                    }
                    continue
                }
                pendingCR = false
                if !recordStarted {
                    recordStarted = true
                    recordLine = line
                }
                if byte == delimiter {
                    index += 1
                    guard completeField(buffer[index..<index]) else { return }
                } else if byte == quote {
                    index += 1
                    quoteLine = line
                    state = .quoted
                } else {
                    state = .unquoted
                }

            case .unquoted:
                let start = index
                while index < end {
                    let byte = buffer[index]
                    if byte == delimiter || byte == lf || byte == cr { break }
                    index += 1
                }
                guard index < end else {
                    field.append(contentsOf: buffer[start..<end])
                    return
                }
                guard completeField(buffer[start..<index]) else { return }
                endField(terminator: buffer[index], into: &records)
                index += 1

            case .quoted:
                let start = index
                while index < end {
                    let byte = buffer[index]
                    if byte == quote { break }
                    if byte == lf {
                        let afterCR = index > start ? buffer[index - 1] == cr : pendingCR
                        if !afterCR { line += 1 }
                    } else if byte == cr {
                        line += 1
                    }
                    index += 1
                }
                guard index < end else {
                    if end > start { pendingCR = buffer[end - 1] == cr }
                    field.append(contentsOf: buffer[start..<end])
                    return
                }
                pendingCR = false
                let content = buffer[start..<index]
                index += 1
                if field.isEmpty, index < end, isTerminator(buffer[index], delimiter) {
                    // Fast path: a whole quoted field without doubled quotes in this block.
                    guard completeField(content) else { return }
                    endField(terminator: buffer[index], into: &records)
                    index += 1
                } else {
                    field.append(contentsOf: content)
                    state = .afterQuote
                }

            case .afterQuote:
                let byte = buffer[index]
                if byte == quote {
                    field.append(quote)
                    index += 1
                    state = .quoted
                } else if isTerminator(byte, delimiter) {
                    guard completeField(buffer[index..<index]) else { return }
                    endField(terminator: byte, into: &records)
                    index += 1
                } else {
                    // Lenient: text after a closing quote continues the field.
                    state = .unquoted
                }
            }
        }
    }

    /// Completes the record in progress when the input ends without a line break.
    mutating func flushAtEndOfInput(into records: inout [CSVRecord]) {
        let nothing = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        switch state {
        case .quoted:
            failure = .unterminatedQuote(line: quoteLine)
        case .unquoted, .afterQuote:
            guard completeField(nothing[...]) else { return }
            endRecord(into: &records)
        case .fieldStart:
            guard recordStarted else { return }
            guard completeField(nothing[...]) else { return }
            endRecord(into: &records)
        }
    }

    @inline(__always)
    private func isTerminator(_ byte: UInt8, _ delimiter: UInt8) -> Bool {
        byte == delimiter || byte == Self.lf || byte == Self.cr
    }

    /// Acts on the byte that ended a field: a delimiter starts the next field, a line
    /// break also ends the record.
    @inline(__always)
    private mutating func endField(terminator: UInt8, into records: inout [CSVRecord]) {
        state = .fieldStart
        guard terminator != dialect.delimiter else { return }
        line += 1
        pendingCR = terminator == Self.cr
        endRecord(into: &records)
    }

    /// Decodes the current field from any buffered bytes plus `tail`; records an
    /// invalid-UTF-8 failure and returns `false` when the bytes do not decode.
    @inline(__always)
    private mutating func completeField(_ tail: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let value: String?
        if field.isEmpty {
            value = Self.decode(UnsafeBufferPointer(rebasing: tail))
        } else {
            field.append(contentsOf: tail)
            value = field.withUnsafeBufferPointer { Self.decode($0) }
            field.removeAll(keepingCapacity: true)
        }
        guard let value else {
            failure = .invalidUTF8(line: recordLine, field: fields.count + 1)
            return false
        }
        fields.append(value)
        return true
    }

    /// Decodes UTF-8, or returns `nil` if the bytes are not valid UTF-8.
    ///
    /// Most fields are ASCII, which cannot be invalid; those take the cheaper
    /// non-validating initialiser, and only the rest pay for strict validation.
    @inline(__always)
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if ASCIIText.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }


    /// Emits the record in progress and prepares an equally sized one for the next row.
    @inline(__always)
    private mutating func endRecord(into records: inout [CSVRecord]) {
        let width = fields.count
        records.append(CSVRecord(line: recordLine, fields: fields))
        fields = []
        fields.reserveCapacity(width)
        recordStarted = false
    }
}
