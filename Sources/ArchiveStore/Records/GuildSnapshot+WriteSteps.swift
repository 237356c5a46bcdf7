import DiscordModels

extension GuildSnapshot {
    /// The steps that store this snapshot: the guild, then each listing given followed by the tombstones of what
    /// it lacks (non-thread channels only), in a fixed order.
    public var writeSteps: [ObjectWriteStep] {
        let id = guild.value.id
        var steps: [ObjectWriteStep] = [guild.value.unavailable == true ? .unchanged : .upsert(.guild(guild))]
        func listing(_ kind: ObjectKind, _ rows: [ObjectRow], onlyNonThreads: Bool = false) {
            steps += rows.map { .upsert($0) }
            steps.append(.tombstoneMissing(kind, guild: id, keeping: rows.map(\.id), onlyNonThreads: onlyNonThreads))
        }
        if let channels { listing(.channel, channels.map { .channel($0, guild: id) }, onlyNonThreads: true) }
        if let roles { listing(.role, roles.map { .role($0, guild: id) }) }
        if let emojis { listing(.emoji, emojis.compactMap { .emoji($0, guild: id) }) }
        if let stickers { listing(.sticker, stickers.map { .sticker($0, guild: id) }) }
        if let scheduledEvents { listing(.scheduledEvent, scheduledEvents.map { .scheduledEvent($0) }) }
        return steps
    }
}
