import Hosting
import IncidentService
import IngestService
import Logging
import MetricsService
import NotifyService
import PublishService
import SchedulerService
import TransformService
import ValidateService

/// Every service's composition root by name.
enum ServiceCatalog {
    static let names = ["ingest", "validate", "transform", "publish", "notify", "metrics", "scheduler", "incident"]

    static func build(_ name: String, config: RuntimeConfig, logger: Logger) throws -> ServiceHost? {
        switch name {
        case "ingest": try IngestService.build(config: config, logger: logger, handleSignals: true)
        case "validate": try ValidateService.build(config: config, logger: logger, handleSignals: true)
        case "transform": try TransformService.build(config: config, logger: logger, handleSignals: true)
        case "publish": try PublishService.build(config: config, logger: logger, handleSignals: true)
        case "notify": try NotifyService.build(config: config, logger: logger, handleSignals: true)
        case "metrics": try MetricsService.build(config: config, logger: logger, handleSignals: true)
        case "scheduler": try SchedulerService.build(config: config, logger: logger, handleSignals: true)
        case "incident": try IncidentService.build(config: config, logger: logger, handleSignals: true)
        default: nil
        }
    }
}
