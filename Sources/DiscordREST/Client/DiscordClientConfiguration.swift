/// Settings of one ``DiscordClient``: one token, one rate limiter.
///
/// ```swift
/// var configuration = DiscordClientConfiguration(token: token)
/// configuration.apiBase = sim.apiBase
/// configuration.retry.maxRetries = 3
/// ```
public struct DiscordClientConfiguration: Sendable, CustomStringConvertible {
    /// The bot token, sent as `Authorization: Bot <token>`. Never logged or put in an error.
    public var token: String
    /// The API base URL, without a trailing slash.
    public var apiBase: String = "https://discord.com/api/v10"
    /// The service at ``apiBase`` and the options that set the token and the address, as errors name them.
    public var service: RESTService = .discord
    /// Skald's release, as `skald --version` prints it and the `User-Agent` sends it.
    public static let skaldVersion = "0.1.0"
    /// Skald's version, for the `User-Agent`.
    public var version: String = skaldVersion
    /// The `User-Agent` header; Discord requires the `DiscordBot (url, version)` form.
    public var userAgent: String?
    /// Timeout for one HTTP request (connect + response).
    public var requestTimeout: Duration = .seconds(30)
    /// Backoff for 5xx and network errors.
    public var retry: RetryPolicy = .init()
    /// The rate limiter's settings (global limit, invalid-request guard).
    public var rateLimits: RateLimitStateMachine.Configuration = .init()
    /// The process-wide invalid-request budget shared by every client of the process (`nil`: this token only).
    public var invalidRequestLedger: InvalidRequestLedger?
    /// The process's limiters, one per token: the client shares its token's with every other client of the token
    /// made with the same registry (`nil`: a limiter of its own, which knows nothing of the token's other clients).
    public var rateLimiters: TokenRateLimiters?
    /// The process-wide record of Discord's edge refusing the IP address, shared by every client of the process, with
    /// what requests do during a ban (`nil`: this client's own, failing every request from the first refusal on).
    public var edgeRefusals: EdgeRefusalGate?
    /// A 429 asking for a longer wait than this fails with ``DiscordRESTError/Code/rateLimitedTooLong``.
    public var maxRateLimitWait: Duration = .seconds(120)
    /// How many 429s one call tolerates before failing.
    public var maxRateLimitRetries: Int = 20
    /// Concurrent HTTP/1.1 connections to the API host.
    public var maxConnections: Int = 64
    /// The largest response body accepted.
    public var maxResponseBytes: Int = 64 << 20
    /// Request bodies up to this size are assembled into one buffer for each attempt (every Discord upload: at most
    /// 25 MiB per request); larger ones (Fluxer takes 10 files of 25 MiB) are streamed in slices read from their
    /// files as they are sent. Either way a file region is read again from its file on every attempt.
    public var bufferedBodyLimit: Int = 32 << 20
    /// The jitter source for retry backoff: values in `0..<1`. Replace with a seeded source in tests.
    public var jitter: @Sendable () -> Double = { Double.random(in: 0..<1) }

    /// Creates a configuration for `token`.
    public init(token: String, apiBase: String = "https://discord.com/api/v10") {
        self.token = token
        self.apiBase = apiBase
    }

    /// The `User-Agent` actually sent.
    public var effectiveUserAgent: String {
        userAgent ?? "DiscordBot (https://github.com/skald-archive/skald, \(version))"
    }

    /// A description without the token.
    public var description: String {
        "DiscordClientConfiguration(apiBase: \(apiBase), token: <redacted>, retry: \(retry.maxRetries) retries)"
    }
}
