// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "apex",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "apex", targets: ["apex"]),
        .library(name: "ApexDSL", targets: ["ApexDSL"]),
        .library(name: "ApexCompiler", targets: ["ApexCompiler"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .target(
            name: "ApexDSL",
            dependencies: [
                // Yams embeds libyaml; we compose libyaml's events ourselves to keep end
                // positions, report duplicate keys at the duplicate and bound the depth.
                .product(name: "Yams", package: "Yams"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "ApexCompiler",
            dependencies: [
                "ApexDSL", .product(name: "OrderedCollections", package: "swift-collections"),
                // SHA-256 of a plan's canonical definition (the hash a run pins).
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "ApexEngine",
            dependencies: [
                "ApexDSL", "ApexCompiler", .product(name: "OrderedCollections", package: "swift-collections"),
                // What the engine's background loops (worker, news watcher) cannot record in a history.
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Workflow files on this machine: what `apex run` starts and pins, children found by name.
        .target(name: "ApexWorkflowFiles", dependencies: ["ApexEngine", "ApexDSL", "ApexCompiler"]),
        .target(name: "ApexStoreSQLite", dependencies: ["ApexEngine", "ApexDSL", .product(name: "GRDB", package: "GRDB.swift")]),
        // The shared store for several machines: PostgreSQL through postgres-nio's pooled client.
        .target(
            name: "ApexStorePostgres",
            dependencies: [
                "ApexEngine", "ApexDSL",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // The pool's own errors (circuit breaker, shutdown), told apart from the server's.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                // TLS settings of `sslmode` (no certificate check for prefer/require, as libpq).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // Connection errors (refused, reset, timeout) for messages, and locks.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ApexLLM",
            dependencies: [
                "ApexEngine", "ApexDSL", "ApexCompiler", .product(name: "Yams", package: "Yams"),
                // One pooled HTTP client for providers and `http` steps: connection reuse, TLS, streaming bodies.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // The tools of an agent's MCP servers.
                "ApexMCP",
            ]
        ),
        // The fake provider server: a scripted OpenAI/Anthropic/plain HTTP server on loopback, for
        // the tests and for `apex bench llm`. Plain NIO, so its users control every byte and every delay.
        .target(
            name: "ApexFakeProvider",
            dependencies: [
                "ApexDSL", .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // The test kit: the in-memory store, the store conformance suite, the manual clock and the
        // deterministic simulator (which starts runs from workflow files as `apex run` does).
        .target(name: "ApexTesting", dependencies: ["ApexEngine", "ApexDSL", "ApexCompiler", "ApexWorkflowFiles"]),
        // `apex serve`: the HTTP API, its live streams (SSE, WebSocket), JWT and signed webhooks,
        // Prometheus metrics; a worker in the same process.
        .target(
            name: "ApexServer",
            dependencies: [
                "ApexDSL", "ApexCompiler", "ApexEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "JWTKit", package: "jwt-kit"),
                // HMAC-SHA256 of signed webhooks.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The OpenAPI document (/openapi.json) and the web UI (/), compiled in: the binary
            // needs no file beside it.
            resources: [
                .embedInCode("Resources/openapi.json"), .embedInCode("Resources/ui/index.html"),
                .embedInCode("Resources/ui/app.js"), .embedInCode("Resources/ui/app.css"),
            ]
        ),
        // MCP servers as tool providers: a child process spoken to over stdio with the MCP SDK's client.
        .target(
            name: "ApexMCP",
            dependencies: [
                "ApexDSL", .product(name: "MCP", package: "swift-sdk"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                // The SDK's Transport protocol names a Logger.
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ApexCLI",
            dependencies: [
                "ApexDSL", "ApexCompiler", "ApexEngine", "ApexStoreSQLite", "ApexStorePostgres", "ApexLLM", "ApexWorkflowFiles", "ApexServer",
                // `apex bench llm` measures the providers against the fake provider server.
                "ApexFakeProvider",
                // `apex mcp`: the SDK's server on ApexMCP's stdio transport.
                "ApexMCP", .product(name: "MCP", package: "swift-sdk"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                // `apex bench peers` writes JSON lines with their keys in order.
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .executableTarget(name: "apex", dependencies: ["ApexCLI"]),
        // The deterministic simulator from the command line (not shipped): `--seed N`, `--scenarios N`.
        .executableTarget(
            name: "apex-simulate",
            dependencies: ["ApexTesting", .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Logging", package: "swift-log")]
        ),
        // The MCP client against a small stdio MCP server written in Python (Tests/Fixtures/mcp).
        .testTarget(name: "ApexMCPTests", dependencies: ["ApexMCP", "ApexDSL"]),
        .testTarget(name: "ApexDSLTests", dependencies: ["ApexDSL"], resources: [.copy("Fixtures")]),
        // Golden fixtures are read from the source tree (via #filePath) so that recording can rewrite them.
        .testTarget(name: "ApexCompilerTests", dependencies: ["ApexCompiler", "ApexDSL"], exclude: ["Fixtures"]),
        .testTarget(
            name: "ApexCLITests",
            dependencies: [
                "ApexCLI", "apex", "ApexFakeProvider", "ApexEngine", "ApexServer",
                // TestServerOutages: the PostgreSQL outages of these tests and the store's tests apart.
                "ApexTesting",
                // `apex serve` over real HTTP.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // HS256 bearer tokens for `apex --server` against a server with auth on.
                .product(name: "Crypto", package: "swift-crypto"),
                // `apex mcp` driven by the MCP client too.
                "ApexMCP",
            ],
            resources: [.copy("Fixtures")]
        ),
        // The server over real HTTP and WebSocket on 127.0.0.1, in process and as `apex serve`.
        .testTarget(
            name: "ApexServerTests",
            dependencies: [
                "ApexServer", "ApexTesting", "ApexEngine", "ApexDSL", "ApexCompiler", "ApexStoreSQLite",
                // The mock provider of the in-process server (Support/TestServer.swift).
                "ApexLLM",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA keys generated by the auth tests (_RSA.Signing.PrivateKey).
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "ApexLLMTests",
            dependencies: [
                "ApexLLM", "ApexFakeProvider", "ApexTesting", "ApexEngine", "ApexDSL",
                // The fake server's own tests speak real HTTP to it.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Recorded histories are read from the source tree (via #filePath).
        .testTarget(name: "ApexEngineTests", dependencies: ["ApexEngine", "ApexTesting", "ApexCompiler", "ApexDSL", "ApexLLM", "ApexWorkflowFiles"],
                    exclude: ["Histories"]),
        .testTarget(
            name: "ApexStoreSQLiteTests",
            // GRDB directly, to inspect and tamper with a store's file the way only other software would.
            dependencies: ["ApexStoreSQLite", "ApexTesting", "ApexEngine", "ApexDSL", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Runs against the server in APEX_TEST_POSTGRES_URL (scripts/postgres-cluster.sh start prints one).
        .testTarget(name: "ApexStorePostgresTests", dependencies: ["ApexStorePostgres", "ApexTesting", "ApexEngine", "ApexDSL"]),
    ],
    swiftLanguageModes: [.v6]
)
