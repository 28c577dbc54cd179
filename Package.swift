// swift-tools-version:6.1
import PackageDescription

// Utilis: a customer-service platform for utilities. See README.md and the architecture map.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "utilis",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "utilis", targets: ["CLI"]),
        .executable(name: "Orchestrator", targets: ["Orchestrator"]),
        .executable(name: "Cartable", targets: ["Cartable"]),
        .executable(name: "Registration", targets: ["Registration"]),
        .executable(name: "Tariff", targets: ["Tariff"]),
        .executable(name: "Ledger", targets: ["LedgerService"]),
        .executable(name: "Billing", targets: ["BillingService"]),
        .executable(name: "Reports", targets: ["ReportsService"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(
            name: "CRabbitMQ", path: "Shared/CRabbitMQ", pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]),
        .systemLibrary(
            name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),

        // Shared libraries, bottom up.
        .target(name: "BlockingIO", path: "Shared/BlockingIO", swiftSettings: swiftSettings),
        .target(
            name: "AMQP",
            dependencies: ["CRabbitMQ", "BlockingIO", .product(name: "Logging", package: "swift-log")],
            path: "Shared/AMQP", swiftSettings: swiftSettings),
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ", "BlockingIO", .product(name: "Logging", package: "swift-log")],
            path: "Shared/Postgres", swiftSettings: swiftSettings),
        .target(name: "Contracts", path: "Shared/Contracts", swiftSettings: swiftSettings),
        .target(name: "Forms", dependencies: ["Contracts"], path: "Shared/Forms", swiftSettings: swiftSettings),
        .target(name: "Registry", dependencies: ["Contracts"], path: "Shared/Registry", swiftSettings: swiftSettings),
        .target(name: "Pricing", dependencies: ["Contracts"], path: "Shared/Pricing", swiftSettings: swiftSettings),
        .target(name: "Ledger", dependencies: ["Contracts"], path: "Shared/Ledger", swiftSettings: swiftSettings),
        .target(name: "Billing", dependencies: ["Contracts"], path: "Shared/Billing", swiftSettings: swiftSettings),
        .target(name: "Reporting", dependencies: ["Contracts"], path: "Shared/Reporting", swiftSettings: swiftSettings),
        .target(name: "BPMN", dependencies: ["Contracts", "Forms"], path: "Shared/BPMN", swiftSettings: swiftSettings),
        .target(
            name: "Messaging",
            dependencies: [
                "AMQP", "Postgres", "Contracts",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Messaging",
            resources: [.copy("Migrations")],
            swiftSettings: swiftSettings),
        .target(
            name: "ServiceKit",
            dependencies: [
                "Messaging", "Postgres", "AMQP", "Contracts",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/ServiceKit", swiftSettings: swiftSettings),

        // Executables.
        .executableTarget(
            name: "CLI",
            dependencies: [
                "BPMN", "Messaging", "ServiceKit", "Contracts", "AMQP", "Postgres", "Registry", "Pricing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/CLI", swiftSettings: swiftSettings),

        .executableTarget(
            name: "Orchestrator",
            dependencies: [
                "BPMN", "Messaging", "ServiceKit", "Contracts", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Orchestrator", resources: [.copy("Migrations")], swiftSettings: swiftSettings),

        .executableTarget(
            name: "Cartable",
            dependencies: [
                "BlockingIO", "Messaging", "ServiceKit", "Contracts", "Postgres", "Forms", "BPMN", "Pricing", "Ledger", "Billing", "Reporting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Cartable", resources: [.copy("Migrations"), .copy("Templates"), .copy("Static")], swiftSettings: swiftSettings),

        .executableTarget(
            name: "Registration",
            dependencies: [
                "Registry", "Messaging", "ServiceKit", "Contracts", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Registration", resources: [.copy("Migrations")], swiftSettings: swiftSettings),

        .executableTarget(
            name: "Tariff",
            dependencies: [
                "Pricing", "Messaging", "ServiceKit", "Contracts", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Tariff", resources: [.copy("Migrations")], swiftSettings: swiftSettings),

        .executableTarget(
            name: "LedgerService",
            dependencies: [
                "Ledger", "Messaging", "ServiceKit", "Contracts", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Ledger", resources: [.copy("Migrations")], swiftSettings: swiftSettings),

        .executableTarget(
            name: "BillingService",
            dependencies: [
                "Billing", "Pricing", "Messaging", "ServiceKit", "Contracts", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Billing", resources: [.copy("Migrations")], swiftSettings: swiftSettings),

        .executableTarget(
            name: "ReportsService",
            dependencies: [
                "Reporting", "Messaging", "ServiceKit", "Contracts", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Reports", resources: [.copy("Migrations")], swiftSettings: swiftSettings),

        // Tests.
        .executableTarget(
            name: "MessagingProbe",
            dependencies: ["Messaging", "ServiceKit", .product(name: "Logging", package: "swift-log")],
            path: "Tests/MessagingProbe", swiftSettings: swiftSettings),
        .testTarget(
            name: "BlockingIOTests", dependencies: ["BlockingIO"], path: "Tests/BlockingIOTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AMQPTests", dependencies: ["AMQP", "TestSupport"], path: "Tests/AMQPTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PostgresTests", dependencies: ["Postgres", "TestSupport"], path: "Tests/PostgresTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "MessagingTests", dependencies: ["Messaging", "TestSupport"],
            path: "Tests/MessagingTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "BPMNTests", dependencies: ["BPMN", "Contracts"], path: "Tests/BPMNTests",
            resources: [.copy("MIWG")], swiftSettings: swiftSettings),
        .testTarget(
            name: "CLITests", dependencies: ["Contracts", "TestSupport"], path: "Tests/CLITests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "OrchestratorTests", dependencies: ["Contracts", "Messaging", "AMQP", "Postgres", "TestSupport"],
            path: "Tests/OrchestratorTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "FormsTests", dependencies: ["Forms", "BPMN", "Contracts"], path: "Tests/FormsTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "RegistryTests", dependencies: ["Registry", "Contracts"], path: "Tests/RegistryTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "RegistrationTests", dependencies: ["Contracts", "Messaging", "AMQP", "Postgres", "TestSupport"],
            path: "Tests/RegistrationTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "PricingTests", dependencies: ["Pricing", "Contracts"], path: "Tests/PricingTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "TariffTests", dependencies: ["Contracts", "Messaging", "AMQP", "Postgres", "TestSupport"],
            path: "Tests/TariffTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "LedgerTests", dependencies: ["Ledger", "Contracts"], path: "Tests/LedgerTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "BillingTests", dependencies: ["Billing", "Contracts"], path: "Tests/BillingTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "BillingServiceTests", dependencies: ["Contracts", "Messaging", "AMQP", "Postgres", "Pricing", "TestSupport"],
            path: "Tests/BillingServiceTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "ReportingTests", dependencies: ["Reporting", "Contracts"], path: "Tests/ReportingTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "ReportsServiceTests", dependencies: ["Contracts", "Messaging", "AMQP", "Postgres", "Reporting", "TestSupport"],
            path: "Tests/ReportsServiceTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "LedgerServiceTests", dependencies: ["Contracts", "Messaging", "AMQP", "Postgres", "TestSupport"],
            path: "Tests/LedgerServiceTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "ContractsTests", dependencies: ["Contracts"], path: "Tests/ContractsTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ServiceKitTests", dependencies: ["ServiceKit", "TestSupport"],
            path: "Tests/ServiceKitTests", swiftSettings: swiftSettings),
        .target(
            name: "TestSupport",
            dependencies: ["AMQP", "Postgres", "Messaging", "Contracts", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport", swiftSettings: swiftSettings),
    ]
)
