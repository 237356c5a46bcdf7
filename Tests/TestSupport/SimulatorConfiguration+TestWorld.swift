import DiscordSimulator

extension SimulatorConfiguration {
    /// The generated world of a test: `guilds` guilds of `channels` channels with `messages` messages each and
    /// `threads` threads, rate limits off unless the test is about pacing (the other settings at their defaults).
    ///
    /// ```swift
    /// var config = SimulatorConfiguration.testWorld(seed: 5, channels: 4, messages: 300, threads: 3)
    /// config.faultRate = 0.05
    /// ```
    public static func testWorld(
        seed: UInt64, guilds: Int = 1, channels: Int, messages: Int, threads: Int = 0,
        rateLimits: RateLimitProfile = .off
    ) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.seed = seed
        configuration.guilds = guilds
        configuration.channelsPerGuild = channels
        configuration.messagesPerChannel = messages
        configuration.threadsPerGuild = threads
        configuration.rateLimits = rateLimits
        return configuration
    }
}
