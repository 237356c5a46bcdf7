import DiscordModels

/// The generated, immutable part of the simulated Discord: guilds, channels, threads, users, roles,
/// expressions and events. Messages are not stored: `MessageFactory` derives them on demand.
struct World: Sendable {
    let seed: UInt64
    let guilds: [SimGuild]
    let channels: [UInt64: SimChannel]
    let humans: [SimUser]
    let bots: [SimUser]
    let usersById: [UInt64: SimUser]
    let guildIndexById: [UInt64: Int]
    let emojisById: [UInt64: SimEmoji]
    /// Messages per thread-less channel as configured (threads get a tenth).
    let messagesPerChannel: Int

    /// The generated history ends before this instant (``SimulatorConfiguration/historyEndMilliseconds``).
    let presentMilliseconds: UInt64

    /// Builds a snowflake for a structural object created at `milliseconds`.
    static func makeId(_ milliseconds: UInt64, salt: UInt64) -> UInt64 {
        (milliseconds - Snowflake<AnyTag>.discordEpochMilliseconds) << Snowflake<AnyTag>.timestampShift
            | (salt & 0x3FFFF)
    }

    func guild(_ id: UInt64) -> SimGuild? {
        guildIndexById[id].map { guilds[$0] }
    }
}
