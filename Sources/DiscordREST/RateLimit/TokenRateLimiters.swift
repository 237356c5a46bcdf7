import Synchronization

/// The rate limiters of a process, one per token and API: every ``DiscordClient`` made with the same registry for
/// one token shares its limiter, so the token's clients together keep to Discord's global limit (50 requests a
/// second per token, whichever client sends) and to each route's bucket, learned once for all of them.
///
/// ``DiscordClientFactory`` makes one and hands it to every client it makes (its copies share it), so live capture,
/// the bot's reactions, scheduled jobs and the archive engine of one command draw on one budget per token.
///
/// ```swift
/// var configuration = DiscordClientConfiguration(token: token)
/// configuration.rateLimiters = limiters   // the same registry for every client of the process
/// ```
public final class TokenRateLimiters: Sendable {
    /// A token at one API: a Fluxer instance counts the same token apart from Discord.
    private struct Key: Hashable {
        let token: String
        let apiBase: String
    }

    private let limiters = Mutex<[Key: any RequestLimiting]>([:])

    /// An empty registry: each token's limiter is made by its first client.
    public init() {}

    /// How many tokens have a limiter.
    public var count: Int { limiters.withLock { $0.count } }

    /// The limiter of `token` at `apiBase`, made with `make` by the token's first client (its settings, clock and
    /// logger are the ones every later client of the token shares).
    func limiter(token: String, apiBase: String, _ make: () -> any RequestLimiting) -> any RequestLimiting {
        limiters.withLock { limiters in
            let key = Key(token: token, apiBase: apiBase)
            if let limiter = limiters[key] { return limiter }
            let limiter = make()
            limiters[key] = limiter
            return limiter
        }
    }
}
