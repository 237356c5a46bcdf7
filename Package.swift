// swift-tools-version: 6.1
import PackageDescription

/// The library targets, each also a product of the same name (test support and embedding).
let libraries = [
    "DiscordModels", "DiscordREST", "DiscordSimulator", "ArchiveStore", "SQLiteStore", "PostgresStore", "Archive",
    "Export", "FileSafety", "SkaldConfiguration", "ObjectStore", "Serve", "DiscordGateway", "Live",
    "FluxerSimulator", "Mirror", "Clips", "Bot", "FormData",
]

let package = Package(
    name: "Skald",
    platforms: [.macOS(.v14)],
    products: [.executable(name: "skald", targets: ["SkaldCLI"])]
        + libraries.map { .library(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/console-kit", from: "4.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Writing files without ever replacing a folder, a link or a device; file errors in words; names that fit.
        .target(name: "FileSafety"),
        // Wire models: Codable payloads, snowflakes, permissions. No I/O.
        .target(name: "DiscordModels"),
        // The system zlib, for the REST client's inflater (answers inflated straight into one buffer per page).
        .systemLibrary(name: "CZlib"),
        // HTTP client for Discord's REST API: rate limiter, retries, pagination.
        .target(
            name: "DiscordREST",
            dependencies: [
                "DiscordModels", "CZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // `multipart/form-data` bodies read in one pass (memchr over the contiguous body), for both simulators.
        .target(
            name: "FormData",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio")
            ]
        ),
        // How our HTTP servers stop: idle connections closed at once, requests in flight given a grace period, then
        // everything closed, whatever the clients do.
        .target(
            name: "ServerLifecycle",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // A faithful fake Discord (REST + CDN), deterministic from a seed.
        .target(
            name: "DiscordSimulator",
            dependencies: [
                "DiscordModels", "FormData", "ServerLifecycle",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // A fake Fluxer (REST only) following the Fluxer API reference, for mirror tests.
        .target(
            name: "FluxerSimulator",
            dependencies: [
                "FormData", "ServerLifecycle",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Mirroring an archived guild into Fluxer: plan, resumable execution through the REST client.
        .target(
            name: "Mirror",
            dependencies: [
                "ArchiveStore", "DiscordModels", "DiscordREST", .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The storage protocol and records shared by every backend.
        .target(name: "ArchiveStore", dependencies: ["DiscordModels", "FileSafety"]),
        // Process-wide SQLite settings made before SQLite initializes (`sqlite3_config` is variadic: C only).
        .target(
            name: "CSQLiteSettings",
            dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")],
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // SQLite backend through GRDB.
        .target(
            name: "SQLiteStore",
            dependencies: [
                "ArchiveStore", "DiscordModels", "FileSafety", "CSQLiteSettings",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API for the hot inserts (GRDB hands out the raw statement).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // PostgreSQL backend through PostgresNIO (several workers on one archive).
        .target(
            name: "PostgresStore",
            dependencies: [
                "ArchiveStore", "DiscordModels", "FileSafety",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Its `ConnectionPoolError`, which `PostgresClient` throws when the server cannot be reached any more.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Backfill and sync engine.
        .target(
            name: "Archive",
            dependencies: [
                "ArchiveStore", "DiscordModels", "DiscordREST", "FileSafety",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // DiscordChatExporter-compatible export (JSON, HTML, CSV, TXT), windows, manifest, verify, combine, import.
        .target(
            name: "Export",
            dependencies: [
                "ArchiveStore", "DiscordModels", "FileSafety",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/EmojiIndex.tsv")]
        ),
        // `skald store`: files as chunked, hashed, optionally encrypted attachments in a channel, with a manifest.
        .target(
            name: "ObjectStore",
            dependencies: [
                "Archive", "ArchiveStore", "DiscordModels", "DiscordREST", "DiscordGateway", "FileSafety",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // `skald serve`: the Discord-compatible read API, Skald's JSON API and search, HTML pages, health, metrics.
        .target(
            name: "Serve",
            dependencies: [
                "ArchiveStore", "DiscordModels", "Export", "FileSafety", "ServerLifecycle",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The user's configuration: the config file (unknown keys refused), the one database-URL parser, errors.
        .target(name: "SkaldConfiguration", dependencies: ["DiscordModels", "FileSafety", "PostgresStore"]),
        // Discord gateway client: a pure session state machine; the WebSocket only carries frames.
        .target(
            name: "DiscordGateway",
            dependencies: [
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Live capture (`skald watch`): catch up through the archive engine, then store gateway events.
        .target(
            name: "Live",
            dependencies: [
                "Archive", "ArchiveStore", "DiscordGateway", "DiscordModels", "DiscordREST",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Clip detection: one pure function over a message with a table of rules (`skald clips`, `skald bot`).
        .target(name: "Clips", dependencies: ["DiscordModels"]),
        // `skald bot`: live capture plus clip saving, health and metrics over HTTP.
        .target(
            name: "Bot",
            dependencies: [
                "Clips", "Live", "Archive", "ArchiveStore", "DiscordModels", "DiscordREST", "ServerLifecycle",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The `skald` executable: argument parsing only.
        .executableTarget(
            name: "SkaldCLI",
            dependencies: [
                "Archive", "ArchiveStore", "SQLiteStore", "PostgresStore", "DiscordModels", "DiscordREST",
                "DiscordSimulator", "Export", "FileSafety", "SkaldConfiguration", "ObjectStore", "Serve", "Live",
                "FluxerSimulator", "Mirror", "Clips", "Bot", "ServerLifecycle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ConsoleKitTerminal", package: "console-kit"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Bounds how many test cases run at once (a constructor that runs before the test run starts; see its .c file).
        .target(name: "TestParallelism", path: "Tests/TestParallelism"),
        // Support shared by the test targets (the one virtual clock, the test PostgreSQL server, the simulator and client
        // lifecycles); not shipped.
        .target(
            name: "TestSupport",
            dependencies: [
                "PostgresStore", "SkaldConfiguration", "DiscordSimulator", "DiscordREST", "TestParallelism",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "DiscordModelsTests", dependencies: ["DiscordModels"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DiscordRESTTests",
            dependencies: [
                "DiscordREST", "DiscordSimulator", "DiscordModels", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DiscordSimulatorTests",
            dependencies: [
                "DiscordSimulator", "DiscordModels", "FormData", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ArchiveTests",
            dependencies: [
                "Archive", "ArchiveStore", "SQLiteStore", "PostgresStore", "DiscordSimulator", "DiscordModels",
                "SkaldConfiguration", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                // StartupOrderTests holds a table of the archive from a connection of its own.
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "ExportTests",
            dependencies: [
                "Export", "ArchiveStore", "SQLiteStore", "DiscordModels", "Archive", "DiscordSimulator", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "DiscordGatewayTests",
            dependencies: [
                "DiscordGateway", "DiscordSimulator", "ServerLifecycle", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        .testTarget(
            name: "LiveTests",
            dependencies: [
                "Live", "Archive", "ArchiveStore", "SQLiteStore", "PostgresStore", "DiscordSimulator", "DiscordModels",
                "DiscordGateway", "DiscordREST", "SkaldConfiguration", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "ArchiveStore", "SQLiteStore", "PostgresStore", "DiscordModels", "SkaldConfiguration", "FileSafety",
                "TestSupport", .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "ObjectStoreTests",
            dependencies: [
                "ObjectStore", "ArchiveStore", "SQLiteStore", "PostgresStore", "SkaldConfiguration", "DiscordREST",
                "DiscordSimulator", "DiscordModels", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SkaldConfigurationTests", dependencies: ["SkaldConfiguration", "PostgresStore"]),
        .testTarget(name: "FileSafetyTests", dependencies: ["FileSafety"]),
        .testTarget(
            name: "ClipsTests",
            dependencies: [
                "Clips", "Bot", "ArchiveStore", "SQLiteStore", "PostgresStore", "SkaldConfiguration", "DiscordModels",
                "DiscordSimulator", "Archive", "Live", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MirrorTests",
            dependencies: [
                "Mirror", "FluxerSimulator", "DiscordSimulator", "Archive", "ArchiveStore", "SQLiteStore",
                "DiscordModels", "DiscordREST", "TestSupport", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ServeTests",
            dependencies: [
                "Serve", "Export", "ArchiveStore", "SQLiteStore", "PostgresStore", "SkaldConfiguration",
                "DiscordModels", "FileSafety", "TestSupport", "Archive", "DiscordSimulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // Our HTTP servers' shutdown: grace period, connections that never spoke.
        .testTarget(
            name: "ServerLifecycleTests",
            dependencies: [
                "ServerLifecycle", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The real `skald` binary, as the user runs it (build it first: `swift build --build-tests`).
        .testTarget(
            name: "SkaldCLITests",
            dependencies: [
                "ArchiveStore", "SQLiteStore", "PostgresStore", "SkaldConfiguration", "DiscordModels",
                "DiscordSimulator", "FluxerSimulator", "TestSupport",
            ],
            resources: [.copy("Fixtures")]
        ),
    ]
)
