import CRabbitMQ
import Foundation

/// One open rabbitmq-c connection with channel 1. Not thread-safe: only the worker thread
/// that created it touches it. All calls are synchronous and may block on the socket.
final class AMQPSession {
    let state: amqp_connection_state_t
    let channel: amqp_channel_t = 1
    let socketFD: Int32
    let tls: Bool
    private var closed = false

    init(config: AMQPConfig) throws(TransportError) {
        guard let state = amqp_new_connection() else { throw .connectFailed("out of memory") }
        self.state = state
        self.tls = config.tls
        let socket: OpaquePointer?
        if config.tls {
            socket = amqp_ssl_socket_new(state)
            if let socket {
                if let ca = config.caCertificatePath, amqp_ssl_socket_set_cacert(socket, ca) != AMQP_STATUS_OK.rawValue {
                    amqp_destroy_connection(state)
                    throw .connectFailed("cannot load the CA certificate \(ca)")
                }
                amqp_ssl_socket_set_verify_peer(socket, config.verifyPeer ? 1 : 0)
                amqp_ssl_socket_set_verify_hostname(socket, config.verifyPeer ? 1 : 0)
            }
        } else {
            socket = amqp_tcp_socket_new(state)
        }
        guard let socket else {
            amqp_destroy_connection(state)
            throw .connectFailed("cannot create socket")
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        let status = amqp_socket_open_noblock(socket, config.host, Int32(config.port), &timeout)
        guard status == AMQP_STATUS_OK.rawValue else {
            amqp_destroy_connection(state)
            throw .connectFailed("\(config.host):\(config.port): \(String(cString: amqp_error_string2(status)))")
        }
        socketFD = amqp_socket_get_sockfd(socket)
        let reply = sluice_amqp_login_plain(state, config.vhost, 0, 131_072, Int32(config.heartbeatSeconds),
                                            config.user, config.password)
        if reply.reply_type != AMQP_RESPONSE_NORMAL {
            let text = Self.describe(reply)
            // `self` is fully initialized here, so `deinit` runs after the throw: abandon()
            // marks the state destroyed, or deinit would close and destroy it a second time
            // (a double free that corrupted the heap when a restarting broker refused logins).
            abandon()
            throw .connectFailed("login to vhost '\(config.vhost)' as '\(config.user)' failed: \(text)")
        }
        amqp_channel_open(state, channel)
        try check("channel.open")
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        _ = amqp_connection_close(state, Int32(AMQP_REPLY_SUCCESS))
        amqp_destroy_connection(state)
    }

    /// Abandons the connection without the close handshake (the socket is already dead).
    func abandon() {
        guard !closed else { return }
        closed = true
        amqp_destroy_connection(state)
    }

    /// Throws if the last synchronous RPC did not succeed.
    func check(_ what: String) throws(TransportError) {
        let reply = amqp_get_rpc_reply(state)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            if reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION {
                throw .brokerRefused(code: Self.replyCode(reply), text: "\(what): \(Self.describe(reply))")
            }
            throw .connectionLost("\(what): \(Self.describe(reply))")
        }
    }

    func confirmSelect() throws(TransportError) {
        amqp_confirm_select(state, channel)
        try check("confirm.select")
    }

    func qos(prefetch: Int) throws(TransportError) {
        amqp_basic_qos(state, channel, 0, UInt16(clamping: prefetch), 0)
        try check("basic.qos")
    }

    func consume(queue: String, tag: String) throws(TransportError) {
        let arena = CArena()
        amqp_basic_consume(state, channel, arena.bytes(queue), arena.bytes(tag), 0, 0, 0, amqp_empty_table)
        try check("basic.consume \(queue)")
    }

    func cancel(tag: String) throws(TransportError) {
        let arena = CArena()
        amqp_basic_cancel(state, channel, arena.bytes(tag))
        try check("basic.cancel \(tag)")
    }

    func ack(_ tag: UInt64, multiple: Bool = false) throws(TransportError) {
        let status = amqp_basic_ack(state, channel, tag, multiple ? 1 : 0)
        if status != 0 { throw .connectionLost("basic.ack: \(String(cString: amqp_error_string2(status)))") }
    }

    func nack(_ tag: UInt64, requeue: Bool) throws(TransportError) {
        let status = amqp_basic_nack(state, channel, tag, 0, requeue ? 1 : 0)
        if status != 0 { throw .connectionLost("basic.nack: \(String(cString: amqp_error_string2(status)))") }
    }

    func publish(_ message: OutgoingMessage) throws(TransportError) {
        let arena = CArena()
        var props = amqp_basic_properties_t()
        var flags: UInt32 = UInt32(AMQP_BASIC_DELIVERY_MODE_FLAG)
        props.delivery_mode = message.properties.persistent ? 2 : 1
        let p = message.properties
        if let v = p.contentType { props.content_type = arena.bytes(v); flags |= UInt32(AMQP_BASIC_CONTENT_TYPE_FLAG) }
        if let v = p.messageId { props.message_id = arena.bytes(v); flags |= UInt32(AMQP_BASIC_MESSAGE_ID_FLAG) }
        if let v = p.type { props.type = arena.bytes(v); flags |= UInt32(AMQP_BASIC_TYPE_FLAG) }
        if let v = p.correlationId { props.correlation_id = arena.bytes(v); flags |= UInt32(AMQP_BASIC_CORRELATION_ID_FLAG) }
        if let v = p.appId { props.app_id = arena.bytes(v); flags |= UInt32(AMQP_BASIC_APP_ID_FLAG) }
        if let v = p.expiration { props.expiration = arena.bytes(v); flags |= UInt32(AMQP_BASIC_EXPIRATION_FLAG) }
        if let v = p.timestamp { props.timestamp = v; flags |= UInt32(AMQP_BASIC_TIMESTAMP_FLAG) }
        if !p.headers.isEmpty { props.headers = arena.table(p.headers); flags |= UInt32(AMQP_BASIC_HEADERS_FLAG) }
        props._flags = amqp_flags_t(flags)
        let status = message.body.withUnsafeBytes { body in
            amqp_basic_publish(state, channel, arena.bytes(message.exchange), arena.bytes(message.routingKey),
                               message.mandatory ? 1 : 0, 0, &props,
                               amqp_bytes_t(len: body.count, bytes: UnsafeMutableRawPointer(mutating: body.baseAddress)))
        }
        if status != 0 { throw .connectionLost("basic.publish: \(String(cString: amqp_error_string2(status)))") }
    }

    static func properties(_ p: amqp_basic_properties_t) -> MessageProperties {
        let flags = UInt32(p._flags)
        func has(_ flag: Int32) -> Bool { flags & UInt32(flag) != 0 }
        var result = MessageProperties(contentType: nil)
        if has(AMQP_BASIC_CONTENT_TYPE_FLAG) { result.contentType = p.content_type.string }
        if has(AMQP_BASIC_MESSAGE_ID_FLAG) { result.messageId = p.message_id.string }
        if has(AMQP_BASIC_TYPE_FLAG) { result.type = p.type.string }
        if has(AMQP_BASIC_CORRELATION_ID_FLAG) { result.correlationId = p.correlation_id.string }
        if has(AMQP_BASIC_APP_ID_FLAG) { result.appId = p.app_id.string }
        if has(AMQP_BASIC_EXPIRATION_FLAG) { result.expiration = p.expiration.string }
        if has(AMQP_BASIC_TIMESTAMP_FLAG) { result.timestamp = p.timestamp }
        if has(AMQP_BASIC_DELIVERY_MODE_FLAG) { result.persistent = p.delivery_mode == 2 }
        if has(AMQP_BASIC_HEADERS_FLAG) { result.headers = decodeTable(p.headers) }
        return result
    }

    static func replyCode(_ reply: amqp_rpc_reply_t) -> Int {
        guard reply.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION, let decoded = reply.reply.decoded else { return 0 }
        switch reply.reply.id {
        case amqp_method_number_t(AMQP_CHANNEL_CLOSE_METHOD):
            return Int(decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee.reply_code)
        case amqp_method_number_t(AMQP_CONNECTION_CLOSE_METHOD):
            return Int(decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee.reply_code)
        default: return 0
        }
    }

    static func describe(_ reply: amqp_rpc_reply_t) -> String {
        switch reply.reply_type {
        case AMQP_RESPONSE_NONE: return "missing RPC reply"
        case AMQP_RESPONSE_LIBRARY_EXCEPTION: return String(cString: amqp_error_string2(reply.library_error))
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            guard let decoded = reply.reply.decoded else { return "server exception" }
            switch reply.reply.id {
            case amqp_method_number_t(AMQP_CHANNEL_CLOSE_METHOD):
                let m = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                return "channel closed \(m.reply_code) \(m.reply_text.string)"
            case amqp_method_number_t(AMQP_CONNECTION_CLOSE_METHOD):
                let m = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                return "connection closed \(m.reply_code) \(m.reply_text.string)"
            default: return "server exception method \(reply.reply.id)"
            }
        default: return "normal"
        }
    }
}
