import Consuming
import Logging
import Messaging
import Runtime

/// Everything the rest of Sluice needs to know about one service, in one value: its name,
/// default port, what it does, and how to build it. Each service module exports one
/// (`ValidateService.descriptor`, …); the catalog (`Services/catalog`) lists them, and
/// `sluice serve`/`dev`, the CLI's service URLs, the broker topology and the test pipeline
/// all read that list. Queue bindings are not written down anywhere: they are the message
/// types the service's handlers register.
public struct ServiceDescriptor: Sendable {
    /// The service name: queue, schema, role and CLI name.
    public let name: String
    /// Its HTTP port unless `http.port` says otherwise.
    public let defaultPort: Int
    /// One line on what it does (shown by `sluice serve --help`).
    public let summary: String
    /// The composition root: the service's tables, handlers, routes and loops for a config.
    public let spec: @Sendable (RuntimeConfig) throws -> ServiceSpec

    /// Describes a service.
    public init(name: String, defaultPort: Int, summary: String,
                spec: @escaping @Sendable (RuntimeConfig) throws -> ServiceSpec) {
        self.name = name
        self.defaultPort = defaultPort
        self.summary = summary
        self.spec = spec
    }

    /// Builds (does not start) the service; `sluice serve` and the tests both come here.
    public func build(config: RuntimeConfig, logger: Logger, handleSignals: Bool = false,
                      transport: (any MessageTransport)? = nil, hooks: DispatchHooks? = nil) throws -> ServiceHost {
        let spec = try spec(config)
        if !spec.publicHTTP { try InternalAccess(config: config).check(host: config.httpHost, service: name) }
        return ServiceHost(config: config, spec: spec, logger: logger, handleSignals: handleSignals,
                           transport: transport, hooks: hooks)
    }

    /// What its queue subscribes to, read off the handlers a default configuration registers.
    public func subscription() throws -> SluiceTopology.Subscription {
        let handlers = try spec(RuntimeConfig(service: name, values: ConfigValues([:]), defaultPort: defaultPort)).handlers
        return SluiceTopology.Subscription(service: name, keys: handlers.bindingKeys,
                                           deadLetters: handlers.consumesDeadLetters, controlled: handlers.obeysJobControls)
    }
}
