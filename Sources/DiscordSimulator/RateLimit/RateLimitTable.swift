/// The `{bucket name} → rule` table of a profile, with overrides applied.
struct RateLimitTable: Sendable {
    let rules: [String: RateLimitRule]
    let enabled: Bool

    /// Discord-like defaults: 5 per 5 s per major parameter unless the docs say otherwise.
    static let defaults: [String: SimulatorConfiguration.BucketLimit] = [
        "messages": .init(limit: 5, window: .seconds(5)),
        "message": .init(limit: 5, window: .seconds(5)),
        "messageCreate": .init(limit: 5, window: .seconds(5)),
        "messageDelete": .init(limit: 5, window: .seconds(1)),
        "pins": .init(limit: 5, window: .seconds(5)),
        "reactions": .init(limit: 5, window: .seconds(5)),
        "threads": .init(limit: 5, window: .seconds(5)),
        "activeThreads": .init(limit: 5, window: .seconds(5)),
        "search": .init(limit: 5, window: .seconds(5)),
        "channel": .init(limit: 5, window: .seconds(5)),
        "guild": .init(limit: 5, window: .seconds(5)),
        "guildChannels": .init(limit: 5, window: .seconds(5)),
        "roles": .init(limit: 5, window: .seconds(5)),
        "emojis": .init(limit: 5, window: .seconds(5)),
        "stickers": .init(limit: 5, window: .seconds(5)),
        "events": .init(limit: 5, window: .seconds(5)),
        "eventUsers": .init(limit: 5, window: .seconds(5)),
        "threadMembers": .init(limit: 5, window: .seconds(5)),
        "application": .init(limit: 5, window: .seconds(5)),
        "members": .init(limit: 10, window: .seconds(10)),
        "user": .init(limit: 5, window: .seconds(5)),
        "guilds": .init(limit: 1, window: .seconds(1)),
        "gateway": .init(limit: 5, window: .seconds(5)),
        "webhooks": .init(limit: 5, window: .seconds(5)),
        "webhookExecute": .init(limit: 5, window: .seconds(2)),
        "channelCreate": .init(limit: 5, window: .seconds(5)),
        "roleCreate": .init(limit: 250, window: .seconds(172_800)),
        "permissions": .init(limit: 5, window: .seconds(5)),
        "rolePositions": .init(limit: 5, window: .seconds(5)),
        "pinWrite": .init(limit: 5, window: .seconds(5)),
        "reactionWrite": .init(limit: 1, window: .milliseconds(250)),
        "threadCreate": .init(limit: 5, window: .seconds(5)),
    ]

    init(configuration: SimulatorConfiguration) {
        var rules: [String: RateLimitRule] = [:]
        for (name, limit) in Self.defaults.merging(configuration.bucketOverrides, uniquingKeysWith: { $1 }) {
            rules[name] = RateLimitRule(name: name, limit: limit)
        }
        self.rules = rules
        self.enabled = configuration.rateLimits == .discord
    }
}
