import Foundation
import Formats
import Tabular

/// Helpers shared by the tests: fixture access, temp dirs, chunked feeding.
enum FormatTestSupport {
    /// The bytes of a committed fixture file.
    static func fixture(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: fixtureURL(name)))
    }

    /// The URL of a committed fixture file.
    static func fixtureURL(_ name: String) throws -> URL {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/formats").appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        return url
    }

    /// A fresh temporary directory, removed by the caller with `cleanup`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("formats-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Reads `bytes` with a fresh reader, feeding blocks of `blockSize`.
    static func read<R: StreamingRowReader>(
        _ make: () -> R, _ bytes: [UInt8], blockSize: Int = 64 << 10
    ) throws(FormatError) -> [SourceRow] {
        var reader = make()
        return try reader.readAll(bytes, blockSize: blockSize)
    }

    /// The error thrown while reading, or `nil` if reading succeeded.
    static func failure<R: StreamingRowReader>(
        _ make: () -> R, _ bytes: [UInt8], blockSize: Int = 64 << 10
    ) -> FormatError? {
        do {
            _ = try read(make, bytes, blockSize: blockSize)
            return nil
        } catch {
            return error
        }
    }
}

extension String {
    /// The UTF-8 bytes of the string, for feeding readers.
    var bytes: [UInt8] { Array(utf8) }
}
