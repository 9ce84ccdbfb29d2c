// swift-tools-version:6.0
import PackageDescription

import Foundation

/// Every Sluice service is a library target (`<Name>Service`) with one composition root and
/// one descriptor, in its own folder under `Services/`: the folders are the list (`cli` is
/// the executable, `catalog` lists the descriptors for everything that needs them all).
let services = try! FileManager.default
    .contentsOfDirectory(atPath: URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Services")
    .filter { !["cli", "catalog"].contains($0) && !$0.hasPrefix(".") }
    .sorted()
    .map { $0.prefix(1).uppercased() + $0.dropFirst() }

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

var targets: [Target] = [
    .systemLibrary(name: "CRabbitMQ", path: "Shared/CRabbitMQ", pkgConfig: "librabbitmq",
                   providers: [.apt(["librabbitmq-dev"])]),
    .systemLibrary(name: "CCurl", path: "Shared/CCurl", pkgConfig: "libcurl",
                   providers: [.apt(["libcurl4-openssl-dev"])]),
    // Argon2id password hashing for the gateway (the reference implementation, Debian's libargon2).
    .systemLibrary(name: "CArgon2", path: "Shared/CArgon2", pkgConfig: "libargon2",
                   providers: [.apt(["libargon2-dev"])]),
    .systemLibrary(name: "CCairo", path: "Shared/CCairo", pkgConfig: "cairo",
                   providers: [.apt(["libcairo2-dev"])]),
    // zlib's deflate for the XLSX writer (not `CZlib`: ZIPFoundation declares that module name).
    .systemLibrary(name: "CSluiceZlib", path: "Shared/CSluiceZlib", pkgConfig: "zlib",
                   providers: [.apt(["zlib1g-dev"])]),
    .target(name: "Contracts", dependencies: [
        "Tabular", "Aggregation", .product(name: "Crypto", package: "swift-crypto"),
    ], path: "Shared/Contracts", swiftSettings: strict),
    // Calculated metrics: definitions, mergeable partial aggregates and their sketches.
    .target(name: "Aggregation", dependencies: ["Tabular"], path: "Shared/Aggregation", swiftSettings: strict),
    .target(name: "Messaging", dependencies: [
        "CRabbitMQ",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ], path: "Shared/Messaging", swiftSettings: strict),
    .target(name: "Toolkit", path: "Shared/Toolkit", swiftSettings: strict),
    // Gregorian dates and times, zones, Excel serial dates, Python-compatible strptime/strftime.
    .target(name: "CivilTime", path: "Shared/CivilTime", swiftSettings: strict),
    .target(name: "Storage", dependencies: [
        "Toolkit",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
    ], path: "Shared/Storage", swiftSettings: strict),
    .target(name: "Tabular", path: "Shared/Tabular", swiftSettings: strict),
    // The Arrow IPC stream format: the chunks' bytes.
    .target(name: "Columnar", path: "Shared/Columnar", swiftSettings: strict),
    // Chunks as claim checks: records ⇄ Arrow chunks, stored once under deterministic keys.
    .target(name: "Chunks", dependencies: [
        "Contracts", "Columnar", "ObjectStorage", "Tabular", "CivilTime",
        .product(name: "Crypto", package: "swift-crypto"),
    ], path: "Shared/Chunks", swiftSettings: strict),
    // Where chunks and artifacts live: a local directory or an S3-compatible store.
    .target(name: "ObjectStorage", dependencies: ["Toolkit", "CCurl", .product(name: "Crypto", package: "swift-crypto")],
            path: "Shared/ObjectStorage", swiftSettings: strict),
    .target(name: "Validation", dependencies: ["Contracts", "Tabular", "CivilTime"], path: "Shared/Validation", swiftSettings: strict),
    .target(name: "Plans", dependencies: ["Contracts", "Tabular", "CivilTime", .product(name: "Yams", package: "Yams")],
            path: "Shared/Plans", swiftSettings: strict),
    .target(name: "Outbound", dependencies: ["CCurl"], path: "Shared/Outbound", swiftSettings: strict),
    // The request and response types of the services' HTTP APIs, for services and clients alike.
    .target(name: "APIModels", dependencies: ["Contracts", "Tabular"], path: "Shared/APIModels", swiftSettings: strict),
    // Pure libraries that were hiding inside services: input formats (ingest) and reports (publish).
    .target(name: "Formats", dependencies: [
        "Tabular", "CivilTime", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
    ], path: "Shared/Formats", swiftSettings: strict),
    .target(name: "Reports", dependencies: ["Contracts", "Tabular", "Toolkit", "CCairo", "CSluiceZlib"],
            path: "Shared/Reports", swiftSettings: strict),
    // The service runtime, by concern (see docs/architecture.md): what a running service has
    // (Runtime), how it consumes (Consuming), how it is hosted (Hosting), and the stored
    // schema/plan definitions feature (Definitions).
    .target(name: "Runtime", dependencies: [
        "Contracts", "Messaging", "Storage", "Toolkit", "ObjectStorage", "Chunks",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
    ], path: "Shared/Runtime", swiftSettings: strict),
    .target(name: "Consuming", dependencies: [
        "Contracts", "Messaging", "Storage", "Tabular", "Toolkit", "Runtime", "ObjectStorage", "Chunks",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
    ], path: "Shared/Consuming", swiftSettings: strict),
    .target(name: "Hosting", dependencies: [
        "Contracts", "Messaging", "Storage", "Toolkit", "Runtime", "Consuming", "Chunks",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
    ], path: "Shared/Hosting", swiftSettings: strict),
    .target(name: "Definitions", dependencies: [
        "Contracts", "Storage", "Runtime", "Hosting",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
    ], path: "Shared/Definitions", swiftSettings: strict),
]

for name in services {
    var deps: [Target.Dependency] = ["Contracts", "Aggregation", "APIModels", "Messaging", "Storage", "Toolkit", "Runtime", "Consuming", "Hosting", "Chunks", "Columnar", "ObjectStorage",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ]
    if ["Ingest", "Validate", "Transform", "Publish"].contains(name) { deps.append("Tabular") }
    if ["Validate", "Publish"].contains(name) { deps.append("Validation") }
    if ["Ingest", "Transform"].contains(name) { deps.append("Plans") }
    if ["Validate", "Transform"].contains(name) { deps.append("Definitions") }
    if name == "Ingest" { deps.append("Formats") }
    if ["Scheduler", "Gateway", "Ingest"].contains(name) { deps.append("CivilTime") }
    if name == "Publish" { deps.append("Reports") }
    if ["Notify", "Ingest", "Metrics", "Publish"].contains(name) { deps.append("Outbound") }
    if name == "Ingest" { deps.append(.product(name: "Crypto", package: "swift-crypto")) }
    if name == "Gateway" {
        deps += ["CArgon2", "Definitions", "Outbound", .product(name: "Crypto", package: "swift-crypto"),
                 .product(name: "AsyncHTTPClient", package: "async-http-client"),
                 .product(name: "MultipartKit", package: "multipart-kit")]
    }
    targets.append(.target(name: "\(name)Service", dependencies: deps,
                           path: "Services/\(name.lowercased())", swiftSettings: strict))
}

// Every service's descriptor, for the CLI, `sluice dev`/`serve` and the test pipeline.
targets.append(.target(name: "Catalog", dependencies: ["Hosting", "Runtime", "APIModels", .product(name: "Logging", package: "swift-log")] + services.map { .target(name: "\($0)Service") },
                       path: "Services/catalog", swiftSettings: strict))

targets.append(.executableTarget(name: "sluice", dependencies: ["Catalog", "SchedulerService", "Aggregation",
    "Contracts", "APIModels", "Messaging", "Runtime", "Hosting", "Definitions", "Tabular", "Outbound", "Validation", "Plans",
    "Toolkit",
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    .product(name: "UnixSignals", package: "swift-service-lifecycle"),
], path: "Services/cli", swiftSettings: strict))

targets.append(.executableTarget(name: "sluice-bench", dependencies: [
    "Contracts", "Messaging", "Tabular", "Outbound", "Runtime",
    .product(name: "Logging", package: "swift-log"),
    .product(name: "ArgumentParser", package: "swift-argument-parser"),
], path: "bench/Sources", swiftSettings: strict))

// The transport contract as executable cases, run on RabbitMQ and on the in-memory broker.
targets.append(.target(name: "Conformance", dependencies: [
    "Messaging", "ObjectStorage", .product(name: "Logging", package: "swift-log"),
], path: "Tests/Conformance", swiftSettings: strict))

// Tests in three targets: unit (no servers; runs first and fast), integration (real
// RabbitMQ and PostgreSQL, the transport conformance suite on AMQP) and scenarios (the whole
// pipeline end to end, faults and restarts). TestSupport holds what they share.
let common: [Target.Dependency] = [
    "Contracts", "Messaging", "Storage", "Tabular", "Outbound", "Runtime", "Consuming", "Hosting", "Definitions",
    "Validation", "Plans", "Toolkit", "Catalog", "Conformance", "Formats", "Reports", "APIModels", "CivilTime", "ObjectStorage", "Columnar", "Chunks",
    "Aggregation",
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "PostgresNIO", package: "postgres-nio"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
] + services.map { .target(name: "\($0)Service") }

targets.append(.target(name: "TestSupport", dependencies: common, path: "Tests/TestSupport", swiftSettings: strict))
targets.append(.testTarget(name: "UnitTests", dependencies: common + ["TestSupport"], path: "Tests/UnitTests",
                           resources: [.copy("Fixtures")], swiftSettings: strict))
targets.append(.testTarget(name: "IntegrationTests", dependencies: common + ["TestSupport"], path: "Tests/IntegrationTests",
                           exclude: ["Scripts"],
                           swiftSettings: strict))
targets.append(.testTarget(name: "ScenarioTests", dependencies: common + ["TestSupport"], path: "Tests/ScenarioTests",
                           swiftSettings: strict))

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v14)],
    products: [.executable(name: "sluice", targets: ["sluice"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.25.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // The gateway's client to the internal services: pooled, streaming both ways.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // The gateway's streaming multipart/form-data parser (job submissions with a file).
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
    ],
    targets: targets,
    swiftLanguageModes: [.v6]
)
