import Contracts
import Foundation
import Hummingbird

/// Small helpers so every service answers JSON the same way.
public enum HTTPResponses {
    /// `value` as a JSON response.
    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let bytes = (try? JSONCoding.encoder(pretty: true).encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON error body `{"error": {"code": …, "message": …}}`.
    public static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        json(["error": ["code": code, "message": message]], status: status)
    }

    /// Plain text.
    public static func text(_ text: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
