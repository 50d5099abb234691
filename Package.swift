// swift-tools-version:6.1
// Neraca — finance back office for grant-funded community programs.
// Modules import downward only (see ../shared/DESIGN.md):
// LedgerCore → Budgets, FeeClaims → FraudRules → LedgerStore → Setup → NeracaCLI → neraca.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Neraca",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "neraca", targets: ["neraca"]),
        .executable(name: "neraca-bench", targets: ["neraca-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.0"),
        // The admin server. No traits: TLS and HTTP/2 are left to a reverse proxy, and the
        // default traits cost about three more minutes on every clean (CI) build.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0", traits: []),
        // Only its bcrypt product: sessions and tokens live in the ledger database.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        // Server-rendered pages (issue 8).
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        // Already under Hummingbird; named for its thread pool (blocking store calls stay off
        // the event loops).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    ],
    targets: [
        // Pure domain: money, accounts, journal entries, validation, canonical bytes.
        // The only importer of swift-crypto (SHA-256 of canonical bytes).
        .target(
            name: "LedgerCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings),
        // Budget lines, policy, the over-budget guard and budget-vs-actual figures; pure
        // (no SQL, no files), so that the store can enforce budgets inside the posting
        // transaction while every SQL statement stays in LedgerStore.
        .target(name: "Budgets", dependencies: ["LedgerCore"], swiftSettings: strictSettings),
        // People and roles, approval matrix, rates, claims and their state machine with
        // segregation of duties; pure like Budgets, persisted by LedgerStore.
        .target(name: "FeeClaims", dependencies: ["LedgerCore"], swiftSettings: strictSettings),
        // The anti-fraud rules as data and their checks over claims, people and budgets; pure.
        .target(name: "FraudRules", dependencies: ["LedgerCore", "Budgets", "FeeClaims"], swiftSettings: strictSettings),
        // SQLite storage through GRDB; the only importer of GRDB.
        .target(
            name: "LedgerStore",
            dependencies: [
                "LedgerCore", "Budgets", "FeeClaims", "FraudRules", "CSQLiteConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings),
        // One C function: SQLite's variadic sqlite3_config cannot be called from Swift.
        .target(name: "CSQLiteConfig", linkerSettings: [.linkedLibrary("sqlite3")]),
        // Ledger setups (YAML) and journal files; the only importer of Yams.
        .target(
            name: "Setup",
            dependencies: ["LedgerCore", "Budgets", "FeeClaims", "FraudRules", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings),
        // Audit bundles: written from the store, verified offline from the files alone.
        .target(
            name: "AuditExport", dependencies: ["LedgerCore", "Budgets", "FeeClaims", "FraudRules", "LedgerStore"],
            swiftSettings: strictSettings),
        // The admin server: JSON API, authentication, roles; the only importer of Hummingbird.
        .target(
            name: "AdminHTTP",
            dependencies: [
                "LedgerCore", "Budgets", "FeeClaims", "FraudRules", "LedgerStore", "Setup", "AuditExport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("openapi.yaml"), .copy("Templates")],
            swiftSettings: strictSettings),
        // The `neraca` commands as a library, so tests drive the parsed commands.
        .target(
            name: "NeracaCLI",
            dependencies: [
                "LedgerCore", "Budgets", "FeeClaims", "FraudRules", "LedgerStore", "Setup", "AuditExport", "AdminHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings),
        .executableTarget(name: "neraca", dependencies: ["NeracaCLI"], swiftSettings: strictSettings),
        // Release-mode benchmarks; figures go to BENCHMARKS.md.
        .executableTarget(
            name: "neraca-bench",
            dependencies: ["LedgerCore", "Budgets", "FeeClaims", "FraudRules", "LedgerStore", "Setup", "AuditExport",
                           "NeracaTestSupport"],
            swiftSettings: strictSettings),
        // Seeded random numbers and external programs, shared by tests and benchmarks.
        .target(name: "NeracaTestSupport", swiftSettings: strictSettings),
        .testTarget(
            name: "LedgerCoreTests", dependencies: ["LedgerCore", "NeracaTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "BudgetsTests", dependencies: ["LedgerCore", "Budgets", "NeracaTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "FraudRulesTests", dependencies: ["LedgerCore", "Budgets", "FeeClaims", "FraudRules", "NeracaTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "LedgerStoreTests",
            dependencies: ["LedgerCore", "Budgets", "FeeClaims", "FraudRules", "LedgerStore", "NeracaTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SetupTests", dependencies: ["LedgerCore", "Budgets", "FeeClaims", "FraudRules", "Setup", "NeracaTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "AuditExportTests",
            dependencies: ["LedgerCore", "Budgets", "FeeClaims", "FraudRules", "LedgerStore", "AuditExport",
                           "NeracaTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "AdminHTTPTests",
            dependencies: [
                "LedgerCore", "Budgets", "FeeClaims", "FraudRules", "LedgerStore", "AuditExport", "AdminHTTP", "NeracaCLI",
                "NeracaTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "NeracaCLITests",
            dependencies: ["LedgerCore", "Budgets", "FeeClaims", "FraudRules", "LedgerStore", "Setup", "NeracaCLI",
                           "AuditExport", "NeracaTestSupport"],
            swiftSettings: strictSettings),
    ]
)
