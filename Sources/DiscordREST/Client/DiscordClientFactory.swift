import Logging

/// Makes the REST clients of a process from a token: the one place a client is built from account options (API
/// base, shared settings, clock), so the archive engine, live capture, the bot, mirror and store all build theirs
/// alike, and a test hands every one of them its simulator and its clock at once.
///
/// ```swift
/// let clients = DiscordClientFactory(apiBase: sim.apiBase, logger: logger)
/// let me = try await clients.withClient(token: token) { client in try await client.currentUser() }
/// ```
public struct DiscordClientFactory: Sendable {
    /// The API root every client talks to, without a trailing slash.
    public var apiBase: String
    /// Adjusts each client's configuration (retries, limits, connections) before the client is made.
    public var configure: @Sendable (inout DiscordClientConfiguration) -> Void = { _ in }
    /// The clock the clients' limiters and retry backoff wait on.
    public var clock: any Clock<Duration> = ContinuousClock()
    /// The logger the clients log to.
    public var logger: Logger
    /// Discord's edge refusing the IP address, shared by every client the factory makes (`nil`: each client its
    /// own, stopping at the first refusal). A long-running command gives one that waits a ban out.
    public var edgeRefusals: EdgeRefusalGate?
    /// The rate limiters of the clients the factory (and every copy of it) makes: one per token, so all of a token's
    /// clients keep to its global limit and route buckets together.
    public var rateLimiters = TokenRateLimiters()

    /// A factory for clients of `apiBase` on the continuous clock.
    public init(apiBase: String = "https://discord.com/api/v10", logger: Logger = Logger(label: "skald.discord-rest")) {
        self.apiBase = apiBase
        self.logger = logger
    }

    /// The configuration of a client for `token`; `ledger` is the invalid-request budget it shares with other
    /// clients (`nil`: its own).
    public func configuration(token: String, ledger: InvalidRequestLedger? = nil) -> DiscordClientConfiguration {
        var configuration = DiscordClientConfiguration(token: token, apiBase: apiBase)
        configuration.invalidRequestLedger = ledger
        configuration.edgeRefusals = edgeRefusals
        configuration.rateLimiters = rateLimiters
        configure(&configuration)
        return configuration
    }

    /// A client for `token`; the caller closes it with ``DiscordClient/shutdown()`` (or use
    /// ``withClient(token:ledger:_:)``).
    public func client(token: String, ledger: InvalidRequestLedger? = nil) -> DiscordClient {
        DiscordClient(configuration: configuration(token: token, ledger: ledger), logger: logger, clock: clock)
    }

    /// Runs `body` with a client for `token`, closed afterwards whether `body` returns or throws.
    public func withClient<T>(
        token: String, ledger: InvalidRequestLedger? = nil, _ body: (DiscordClient) async throws -> T
    ) async throws -> T {
        let client = client(token: token, ledger: ledger)
        let result: T
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try? await client.shutdown()
        return result
    }
}
