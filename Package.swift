// swift-tools-version:6.1
import PackageDescription

/// Settings every Swift target shares: language mode 6 (strict concurrency) plus the upcoming
/// features that keep imports and existentials explicit.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Gatehouse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gatehouse", targets: ["gatehouse"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Thin C shims over the system libraries (Debian: libsodium-dev, libcurl4-openssl-dev, libedit-dev).
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        // libcurl's headers only: the library is dlopen()ed on the first HTTP request (Sources/CCurl/ccurl.c).
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),
        .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),

        // Leaf: a strict (I-JSON) parser, a JSON value type and serialisers. No dependencies.
        .target(name: "StrictJSON", swiftSettings: swiftSettings),
        // Ed25519 and SHA-256 through libsodium.
        .target(name: "Ed25519", dependencies: ["CSodium"], swiftSettings: swiftSettings),
        // The pure trust core: no I/O, no clock reads. Never imports the MCP client.
        .target(name: "TrustCore", dependencies: ["StrictJSON", "Ed25519"], swiftSettings: swiftSettings),
        // HTTP(S) GET/POST through libcurl on dedicated threads, with size limits and timeouts.
        // The one lock type (Synchronization's Mutex; a pthread mutex in ThreadSanitizer builds).
        .target(name: "Locking", swiftSettings: swiftSettings),
        .target(name: "CurlHTTP", dependencies: ["CCurl", "Locking"], swiftSettings: swiftSettings),
        // The OAuth 2.1 client side of MCP authorization: discovery, registration, PKCE login, the token store, refresh.
        .target(name: "OAuth", dependencies: ["StrictJSON", "Ed25519", "CurlHTTP", "Locking", "CSodium"], swiftSettings: swiftSettings),
        // The GNU posix_spawn/pipe2 extensions Swift's Glibc module hides.
        .target(name: "CProcessShim"),
        // The MCP client: JSON-RPC, both protocol eras, stdio / Streamable HTTP / legacy SSE. Never imports TrustCore.
        .target(name: "MCPClient", dependencies: ["StrictJSON", "CurlHTTP", "CProcessShim", "Locking"], swiftSettings: swiftSettings),
        // The host: profiles, sessions (verify before load), trust store and pins, registries and their caches. The only
        // module that imports both TrustCore and MCPClient.
        .target(
            name: "GatehouseHost",
            dependencies: ["TrustCore", "StrictJSON", "Ed25519", "CurlHTTP", "MCPClient"],
            swiftSettings: swiftSettings
        ),
        // Text safe to write to a terminal: the sanitizer every human-readable output goes through. No dependencies.
        .target(name: "TerminalText", swiftSettings: swiftSettings),
        // Command line front end: the ArgumentParser commands, the REPL and scenario verbs, output and exit codes.
        .target(
            name: "GatehouseCLI",
            dependencies: [
                "GatehouseHost", "TrustCore", "StrictJSON", "Ed25519", "MCPClient", "CEdit", "TerminalText", "Locking", "OAuth",
                "CurlHTTP", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "gatehouse", dependencies: ["GatehouseCLI", "MCPClient"], swiftSettings: swiftSettings),
        // The parsers that read hostile input, as fuzz targets, and the trust core's side of the differential check.
        .target(
            name: "FuzzTargets", dependencies: ["TrustCore", "StrictJSON", "Ed25519", "MCPClient", "GatehouseHost", "TerminalText"],
            swiftSettings: swiftSettings
        ),
        // libFuzzer entry (make fuzz), replay, the differential driver and the fault-injection soak.
        .executableTarget(
            name: "gatehouse-fuzz",
            dependencies: ["FuzzTargets", "GatehouseHost", "MCPClient", "StrictJSON", "TrustCore", "Ed25519", "CProcessShim", "Locking", "CurlHTTP"],
            swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]
        ),
        // Micro-benchmarks (bench/run.sh builds it in release mode).
        .executableTarget(name: "gatehouse-bench", dependencies: ["TrustCore", "Ed25519", "StrictJSON", "MCPClient", "GatehouseHost"], swiftSettings: swiftSettings),

        // Helpers shared by the test targets: paths, fresh-key token minting, child processes.
        .target(
            name: "TestSupport",
            dependencies: ["TrustCore", "StrictJSON", "Ed25519", "CProcessShim", "MCPClient", "Locking"],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FuzzTests", dependencies: ["FuzzTargets", "gatehouse-fuzz", "TrustCore", "StrictJSON", "TestSupport"], swiftSettings: swiftSettings
        ),
        .testTarget(name: "StrictJSONTests", dependencies: ["StrictJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "OAuthTests", dependencies: ["OAuth", "StrictJSON", "CurlHTTP", "Locking"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TrustCoreTests",
            dependencies: ["TrustCore", "StrictJSON", "Ed25519", "CSodium", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MCPClientTests",
            dependencies: ["MCPClient", "CurlHTTP", "StrictJSON", "TestSupport", "Locking"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HostTests",
            dependencies: ["GatehouseHost", "TrustCore", "StrictJSON", "Ed25519", "CurlHTTP", "TestSupport", "Locking"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "gatehouse", "GatehouseCLI", "GatehouseHost", "TrustCore", "StrictJSON", "Ed25519", "CEdit", "TerminalText", "TestSupport",
            ],
            // The golden `--help` texts, read from the source tree by HelpGoldenTests (not resources).
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        ),
    ]
)
