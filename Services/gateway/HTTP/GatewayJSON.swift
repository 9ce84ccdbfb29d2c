import Contracts
import Foundation
import Hummingbird

/// Compact JSON answers for the gateway's busiest reads (a job polled by clients): the
/// services' pretty-printed encoding costs more than the rest of such a request.
enum GatewayJSON {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let bytes = (try? JSONCoding.encoder().encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
