import ArchiveStore
import DiscordModels
import FileSafety
import Foundation
import Logging
import PostgresNIO
import _ConnectionPoolModule

/// The PostgreSQL archive backend, through PostgresNIO's pooled ``PostgresClient``: the same schema, migration
/// identifiers and semantics as the SQLite backend (one transaction per page and its checkpoint, revisions,
/// tombstones, history, exact JSON), with multi-row writes (`unnest` arrays) so a page costs a handful of round
/// trips, and several processes may share one database (its ``ChannelLeasing`` part).
///
/// ```swift
/// var configuration = PostgresArchiveStore.Configuration(host: "127.0.0.1", port: 5432, username: "skald",
///                                                        password: "…", database: "archive")
/// configuration.poolSize = 8
/// let store = try await PostgresArchiveStore.connect(configuration)   // migrates
/// try await store.storeMessagePage(page)
/// await store.shutdown()
/// ```
public final class PostgresArchiveStore: ArchiveStore {
    /// Settings of a PostgreSQL store.
    public struct Configuration: Sendable {
        /// The host.
        public var host: String
        /// The port.
        public var port: Int
        /// The username.
        public var username: String
        /// The password.
        public var password: String?
        /// The database.
        public var database: String
        /// The schema the archive's tables live in (created if missing); `nil` uses the server's search path
        /// (`public`). Tests give each store its own schema.
        public var schema: String?
        /// The most connections the pool opens (each page write holds one for its transaction).
        public var poolSize: Int = 8
        /// Whether to use TLS (`sslmode=require`), try it (`prefer`) or not (`disable`, the default).
        public var tls: TLSMode = .disable
        /// How long to wait for a connection to the server.
        public var connectTimeout: Duration = .seconds(10)
        /// The clock for the times the store records on its own (first seen, updated, history).
        public var now: @Sendable () -> Date = { Date() }
        /// The time channel leases expire against; `nil` (the default) uses the server's clock (`now()`), so
        /// workers' clocks need not agree. Tests pass a virtual time, so a lease expires without waiting for it.
        public var leaseNow: (@Sendable () -> Date)?
        /// Opens only an archive that exists: a database or schema without Skald's tables is refused
        /// (``ArchiveStoreError/absent(_:)``) instead of made into a new, empty archive. For the commands that read
        /// what was archived, where a mistyped `?schema=` would otherwise answer with nothing.
        public var mustExist = false

        /// TLS modes, as libpq's `sslmode` names them.
        public enum TLSMode: String, Sendable {
            case disable
            case prefer
            case require
        }

        /// Settings for a server; the rest default.
        public init(host: String, port: Int = 5432, username: String, password: String?, database: String) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
        }
    }

    let client: PostgresClient
    /// The configuration the store was made with (a session lock opens its own connection from it).
    let configuration: Configuration
    let now: @Sendable () -> Date
    /// See ``Configuration/leaseNow``.
    let leaseNow: (@Sendable () -> Date)?
    let logger: Logger
    /// The schema, if one was chosen.
    public let schema: String?
    /// `host:port`, for messages.
    let endpoint: String
    /// Runs the client's connection pool until ``shutdown()``.
    private let runner: Task<Void, Never>
    /// Creates the schema and applies the migrations once; every operation waits for it.
    private let ready: Task<Void, any Error>

    /// Starts a store: the connection pool runs and the schema is migrated in the background; the first operation
    /// waits for both (and throws if the server cannot be reached or the schema is too new). Prefer
    /// ``connect(_:logger:)``, which reports such failures at once.
    public init(configuration: Configuration, logger: Logger = PostgresArchiveStore.quietLogger) {
        var config = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database,
            tls: Self.tls(configuration.tls))
        config.options.maximumConnections = max(1, configuration.poolSize)
        config.options.connectTimeout = configuration.connectTimeout
        if let schema = configuration.schema {
            config.options.additionalStartupParameters = [("search_path", Self.quoteIdentifier(schema))]
        }
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        self.configuration = configuration
        self.now = configuration.now
        self.leaseNow = configuration.leaseNow
        self.logger = logger
        self.schema = configuration.schema
        self.endpoint = "\(configuration.host):\(configuration.port)"
        // An unstructured task by necessity: the store is created synchronously and must outlive its creator's
        // scope; `shutdown()` cancels it, which closes every connection.
        self.runner = Task { await client.run() }
        let schema = configuration.schema
        let tls = configuration.tls
        let mustExist = configuration.mustExist
        let place =
            (configuration.schema.map { "schema \($0) of " } ?? "") + "database \(configuration.database) at "
            + "\(configuration.host):\(configuration.port)"
        var single = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: .disable)
        single.options.connectTimeout = .milliseconds(Int64(configuration.connectTimeout.components.seconds * 1000))
        single.options.additionalStartupParameters = config.options.additionalStartupParameters
        self.ready = Task {
            if tls != .disable {
                let context = try NIOSSLContext(configuration: .makeClientConfiguration())
                single.tls = tls == .require ? .require(context) : .prefer(context)
            }
            try await PostgresMigrator.migrate(
                configuration: single, schema: schema, mustExistAt: mustExist ? place : nil, logger: logger)
        }
    }

    /// Connects, creates the schema if needed and migrates it.
    /// - Throws: ``ArchiveStoreError/database(_:underlying:)`` when the server cannot be reached,
    ///   ``ArchiveStoreError/unsupportedSchema(_:)`` when a newer Skald wrote the database.
    public static func connect(_ configuration: Configuration, logger: Logger = PostgresArchiveStore.quietLogger)
        async throws -> PostgresArchiveStore
    {
        let store = PostgresArchiveStore(configuration: configuration, logger: logger)
        do {
            try await store.waitUntilReady()
        } catch {
            await store.shutdown()
            throw error
        }
        return store
    }

    /// Waits until the schema is migrated.
    public func waitUntilReady() async throws {
        do {
            try await ready.value
        } catch {
            // The migration's transaction wraps what it threw (a newer schema, an absent archive): passed on as is.
            let cause = Self.unwrap(error, endpoint: endpoint)
            if let storeError = cause as? ArchiveStoreError { throw storeError }
            throw ArchiveStoreError.database("could not open the PostgreSQL archive at \(endpoint)", underlying: cause)
        }
    }

    /// Waits until the schema is migrated (``waitUntilReady()``).
    public func open() async throws {
        try await waitUntilReady()
    }

    /// Closes every connection (``shutdown()``).
    public func close() async {
        await shutdown()
    }

    /// Closes every connection. The store cannot be used afterwards.
    public func shutdown() async {
        ready.cancel()
        _ = await ready.result
        runner.cancel()
        await runner.value
    }

    /// The migration identifiers applied to the database, in order.
    public func appliedMigrations() async throws -> [String] {
        try await read("list migrations") { connection in
            try await connection.query(
                "SELECT identifier FROM skald_migrations ORDER BY seq", logger: self.logger
            ).collect().map { try $0.decode(String.self) }
        }
    }

    /// Drops the store's schema and everything in it (tests and maintenance only).
    public func dropSchema() async throws {
        guard let schema else { return }
        try await client.query(
            PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(Self.quoteIdentifier(schema)) CASCADE"), logger: logger)
    }

    /// A logger that reports errors only (the pool logs every failed connection attempt at `info`).
    public static var quietLogger: Logger {
        var logger = Logger(label: "skald.postgres")
        logger.logLevel = .error
        return logger
    }

    // MARK: Transactions

    /// Runs `body` in one transaction, mapping database failures to ``ArchiveStoreError``.
    @discardableResult
    func write<T: Sendable>(
        _ what: @autoclosure () -> String, _ body: (PostgresConnection) async throws -> sending T
    ) async throws -> sending T {
        try await waitUntilReady()
        do {
            return try await client.withTransaction(logger: logger, body)
        } catch {
            let cause = Self.unwrap(error, endpoint: endpoint)
            throw Self.storeError("could not \(what())", cause)
        }
    }

    /// Runs `body` on one pooled connection (reads, and writes of one statement).
    @discardableResult
    func read<T: Sendable>(
        _ what: @autoclosure () -> String, _ body: (PostgresConnection) async throws -> sending T
    ) async throws -> sending T {
        try await waitUntilReady()
        do {
            return try await client.withConnection(body)
        } catch {
            let cause = Self.unwrap(error, endpoint: endpoint)
            throw Self.storeError("could not \(what())", cause)
        }
    }

    /// The store's error for a failure (`cause` unwrapped): the server's `disk_full` (SQLSTATE 53100) in
    /// ``StorageFull``'s words, anything else as a database error.
    static func storeError(_ what: String, _ cause: any Error & Sendable) -> ArchiveStoreError {
        if let storeError = cause as? ArchiveStoreError { return storeError }
        if let server = cause as? PostgresServerError, server.sqlState == "53100" {
            return .full(what, storage: StorageFull(.databaseServer, path: "PostgreSQL"), underlying: server)
        }
        return .database(what, underlying: cause)
    }

    /// The error a transaction wrapper carries inside; a server error becomes its message (PostgresNIO's own
    /// description hides it).
    static func unwrap(_ error: any Error, endpoint: String? = nil) -> any Error & Sendable {
        if let transaction = error as? PostgresTransactionError {
            if let cause = transaction.closureError ?? transaction.beginError ?? transaction.commitError {
                return unwrap(cause, endpoint: endpoint)
            }
        }
        if let pool = error as? ConnectionPoolError, pool == .connectionCreationCircuitBreakerTripped {
            // The pool gave up reconnecting: the server stopped (not a quick restart, which the pool rides out) or
            // the network went away. Before, the line ended at "ConnectionPoolError(base: …CircuitBreakerTripped)".
            let place = endpoint.map { " at \($0)" } ?? ""
            return PostgresServerError(
                description: "PostgreSQL\(place) cannot be reached any more (the server stopped or the network went "
                    + "away); everything committed before is kept. Once the server is back, run the same command "
                    + "again: it resumes where it stopped")
        }
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                let state = psql.serverInfo?[.sqlState].map { " [\($0)]" } ?? ""
                return PostgresServerError(
                    description: "PostgreSQL: \(message)\(state)", sqlState: psql.serverInfo?[.sqlState])
            }
            let place = endpoint.map { " at \($0)" } ?? ""
            return PostgresServerError(description: "PostgreSQL\(place): \(describe(psql))")
        }
        return error
    }

    /// A client-side PostgresNIO failure in words (its own description says only `connectionError`).
    static func describe(_ error: PSQLError) -> String {
        switch error.code {
        case .sslUnsupported:
            return
                "the server does not offer TLS, which sslmode=require asks for (use sslmode=prefer or disable in the "
                + "database URL, or enable TLS on the server)"
        case .authMechanismRequiresPassword:
            return "the server asks for a password and the database URL gives none "
                + "(postgres://USER:PASSWORD@HOST:PORT/DATABASE)"
        case .unsupportedAuthMechanism:
            return "the server asks for an authentication method Skald cannot answer (allow scram-sha-256, md5 or "
                + "password for this user in the server's pg_hba.conf)"
        default: break
        }
        let underlying = error.underlying.map { String(describing: $0) } ?? ""
        let lowered = underlying.lowercased()
        if lowered.contains("refused") {
            return "connection refused (check that the server runs and listens on this host and port)"
        }
        if lowered.contains("resolve") || lowered.contains("nodename") || lowered.contains("dns") {
            return "the host name did not resolve (check the host in the database URL)"
        }
        if lowered.contains("timeout") || lowered.contains("timed out") {
            return "the connection timed out (check the host, the port and the firewall)"
        }
        if lowered.contains("tls") || lowered.contains("ssl") {
            return "the TLS connection failed (check sslmode in the database URL)"
        }
        if error.code == .connectionError || error.code == .serverClosedConnection {
            return "cannot connect (check that the server runs and the host and port are right)"
        }
        return "\(error.code)"
    }

    static func tls(_ mode: Configuration.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    /// A SQL identifier, double-quoted.
    static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
