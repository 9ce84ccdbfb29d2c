import Hummingbird
import NIOCore

/// The request context every service's routes get: Hummingbird's basic context plus the
/// client's address (the gateway throttles sign-in per address; logs may name it).
public struct SluiceRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage (parameters, logger, allocator).
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (no proxy header is trusted).
    public let remoteAddress: SocketAddress?

    /// A context for one request on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
