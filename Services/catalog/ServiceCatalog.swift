import APIModels
import GatewayService
import Hosting
import IncidentService
import IngestService
import MetricsService
import NotifyService
import PublishService
import Logging
import Runtime
import SchedulerService
import TransformService
import ValidateService

/// Every service, by its descriptor: the one list `sluice serve`/`dev`, the CLI, the broker
/// topology and the test pipeline read. Adding a service means adding its folder under
/// `Services/` (Package.swift picks it up) and its descriptor here.
public enum ServiceCatalog {
    /// The descriptors, in pipeline order.
    public static let all: [ServiceDescriptor] = [
        IngestService.descriptor, ValidateService.descriptor, TransformService.descriptor, PublishService.descriptor,
        NotifyService.descriptor, MetricsService.descriptor, SchedulerService.descriptor, IncidentService.descriptor,
        GatewayService.descriptor,
    ]

    /// The service names, in pipeline order.
    public static var names: [String] { all.map(\.name) }

    /// The descriptor named `name`.
    public static func descriptor(_ name: String) -> ServiceDescriptor? { all.first { $0.name == name } }

    /// Every consuming service's subscription, read off its handlers (computed once).
    public static let subscriptions: [SluiceTopology.Subscription] = {
        all.compactMap { descriptor in
            let subscription: SluiceTopology.Subscription
            do {
                subscription = try descriptor.subscription()
            } catch {
                fatalError("service \(descriptor.name) cannot build its handlers with default settings: \(error)")
            }
            return !subscription.keys.isEmpty || subscription.deadLetters ? subscription : nil
        }
    }()

    /// The configuration of `name` from `values`: its default port and the catalog's
    /// subscriptions filled in.
    /// A service connects to the broker as its own user (`sluice_<name>`, least privilege:
    /// infra/local/broker-users.sh) unless `amqp.url` says otherwise.
    public static func config(_ name: String, values: ConfigValues) throws -> RuntimeConfig {
        var values = values
        if values["amqp.url"] == nil, descriptor(name) != nil {
            values = values.setting("amqp.url", "amqp://sluice_\(name):sluice_\(name)@127.0.0.1:5673/sluice")
        }
        var config = try RuntimeConfig(service: name, values: values, defaultPort: descriptor(name)?.defaultPort ?? 8089)
        config.topology.subscriptions = subscriptions
        return config
    }

    /// `sluice users bootstrap`: the first admin, straight in the gateway's schema.
    public static func bootstrapAdmin(config: RuntimeConfig, name: String, email: String, password: String,
                                      logger: Logger) async throws -> UserAccount {
        try await GatewayService.bootstrapAdmin(config: config, name: name, email: email, password: password, logger: logger)
    }
}
