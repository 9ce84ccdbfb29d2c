import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A `multipart/form-data` job submission read as a stream: the `options` part (the JSON of
/// a JSON submission, without `source`) is collected first, so the caller can be authorized
/// before a byte of the file moves; then the `file` part streams on to ingest as it arrives,
/// never held whole in memory. Parts other than these two are refused.
final class MultipartUpload: @unchecked Sendable {
    private let parser: MultipartParser
    private var iterator: Hummingbird.RequestBody.AsyncIterator
    private var part: (name: String?, filename: String?) = (nil, nil)
    private var inFile = false
    private var fileDone = false
    private var pending: [ByteBuffer] = []
    private var failure: Problem?
    private(set) var options = Data()
    private(set) var filename: String?
    private(set) var sawFile = false
    private(set) var fileBytes = 0
    let maxOptionsBytes = 1 << 20
    let maxFileBytes: Int

    /// Nil unless `contentType` is multipart/form-data with a boundary.
    init?(request: Request, maxFileBytes: Int) {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
              let boundary = Self.boundary(type) else { return nil }
        parser = MultipartParser(boundary: boundary)
        iterator = request.body.makeAsyncIterator()
        self.maxFileBytes = maxFileBytes
        parser.onHeader = { [unowned self] field, value in
            guard field.lowercased() == "content-disposition" else { return }
            part = (Self.parameter("name", value), Self.parameter("filename", value))
            if part.name == "file" {
                inFile = true
                sawFile = true
                filename = part.filename
            } else if part.name == "options" && sawFile {
                failure = Problem.badRequest("request.malformed", "send the 'options' part before the 'file' part")
            } else if part.name != "options" {
                failure = Problem.badRequest("request.malformed", "unexpected part '\(part.name ?? "")': send 'options' (JSON) then 'file'")
            }
        }
        parser.onBody = { [unowned self] buffer in
            if inFile {
                fileBytes += buffer.readableBytes
                pending.append(buffer)
            } else if part.name == "options" {
                options.append(contentsOf: buffer.readableBytesView)
                if options.count > maxOptionsBytes {
                    failure = Problem(.contentTooLarge, "request.too-large", "the options part is larger than 1 MiB")
                }
            }
        }
        parser.onPartComplete = { [unowned self] in
            if inFile { fileDone = true }
            inFile = false
            part = (nil, nil)
        }
    }

    /// Reads until the file part starts (or the body ends): the options are then complete.
    func readOptions() async throws {
        while !sawFile, try await feed() {}
    }

    /// Reads the next piece of the body into the parser; false at the end.
    private func feed() async throws -> Bool {
        guard let buffer = try await iterator.next() else { return false }
        do { try parser.execute(buffer) } catch {
            throw Problem.badRequest("request.malformed", "the multipart body is malformed: \(error)")
        }
        if let failure { throw failure }
        if fileBytes > maxFileBytes {
            throw Problem(.contentTooLarge, "request.too-large", "the file is larger than \(maxFileBytes) bytes (gateway.upload.max.bytes)")
        }
        return true
    }

    /// The file's bytes, in the pieces they arrived in.
    var file: FileStream { FileStream(upload: self) }

    struct FileStream: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let upload: MultipartUpload

        struct AsyncIterator: AsyncIteratorProtocol {
            let upload: MultipartUpload
            mutating func next() async throws -> ByteBuffer? { try await upload.nextFilePiece() }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(upload: upload) }
    }

    private func nextFilePiece() async throws -> ByteBuffer? {
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            if fileDone { return nil }
            guard try await feed() else { return nil }
        }
    }

    /// Reads what follows the file (a trailing options part is refused: it must come first).
    func finish() async throws {
        while try await feed() {}
    }

    static func boundary(_ contentType: String) -> String? {
        parameter("boundary", contentType)
    }

    /// A `name=value` or `name="value"` parameter of a header value.
    static func parameter(_ name: String, _ header: String) -> String? {
        for piece in header.split(separator: ";") {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
