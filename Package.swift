// swift-tools-version:6.0
import PackageDescription

// Data flows one way: bytes → records → findings → tallies → report → documents.
//   ImpactIngest  bytes → records (byte sources, gzip, encodings, CSV)
//   ImpactJSON    bytes → records (JSON, JSON Lines)
//   ImpactDetect  values → findings (validators, lexicons, header synonyms)
//   ImpactCore    records + findings → tallies (classification, subjects)
//   ImpactReporting  the report model (Codable, versioned) and its renderers
//   ImpactNotify  report + incident facts → documents (CNIL notification data, Art. 34 letter,
//                 processor notice) from Mustache templates
//   ImpactStore   the case database (SQLite via GRDB; keyed subject hashes via swift-crypto)
//   ImpactSynth   synthetic leaks with ground truth
//   ImpactCLI     one file per subcommand; exit codes
// Release builds of the hot modules skip the runtime exclusivity checks (the per-access
// bookkeeping on class properties cost ~30% of an analysis, measured with perf in
// scripts/bench-results/); debug builds, and so the tests, keep them.
let hot: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "impact",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "impact", targets: ["impact"]),
        .library(name: "ImpactCore", targets: ["ImpactCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // Header-only: a prefetch hint for the hash tables of subject linking.
        .systemLibrary(name: "CMemoryHints", path: "Sources/CMemoryHints"),
        .target(name: "ImpactIngest", dependencies: ["CZlib"], swiftSettings: hot),
        .target(name: "ImpactJSON", dependencies: ["ImpactIngest"], swiftSettings: hot),
        .target(name: "ImpactDetect", resources: [.copy("Resources")], swiftSettings: hot),
        .target(name: "ImpactReporting", dependencies: ["ImpactDetect"]),
        .target(name: "ImpactCore", dependencies: ["CMemoryHints", "ImpactIngest", "ImpactJSON", "ImpactDetect", "ImpactReporting"], swiftSettings: hot),
        .target(name: "ImpactNotify", dependencies: [
            "ImpactReporting",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Yams", package: "Yams"),
        ], resources: [.copy("Resources/templates")]),
        .target(name: "ImpactStore", dependencies: [
            "ImpactCore", "ImpactIngest", "ImpactDetect",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "ImpactSynth", dependencies: ["CZlib"]),
        .target(name: "ImpactCLI", dependencies: [
            "ImpactCore", "ImpactSynth", "ImpactNotify", "ImpactStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "impact", dependencies: ["ImpactCLI"]),
        // Helpers shared by the test targets (not part of any product).
        .target(name: "ImpactTestSupport", dependencies: ["CZlib"], path: "Tests/ImpactTestSupport"),
        .testTarget(name: "ImpactIngestTests", dependencies: ["ImpactIngest", "ImpactTestSupport"]),
        .testTarget(name: "ImpactJSONTests", dependencies: ["ImpactJSON", "ImpactTestSupport"]),
        .testTarget(name: "ImpactDetectTests", dependencies: ["ImpactDetect", "ImpactTestSupport"]),
        .testTarget(name: "ImpactCoreTests", dependencies: ["ImpactCore", "ImpactCLI", "ImpactTestSupport"]),
        .testTarget(name: "ImpactSynthTests", dependencies: ["ImpactSynth"]),
        .testTarget(name: "ImpactReportingTests", dependencies: ["ImpactReporting"]),
        .testTarget(name: "ImpactNotifyTests", dependencies: ["ImpactNotify", "ImpactReporting"],
                    exclude: ["Fixtures", "Golden"]),
        .testTarget(name: "ImpactStoreTests", dependencies: ["ImpactStore", "ImpactCLI"]),
    ]
)
