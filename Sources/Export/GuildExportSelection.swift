import ArchiveStore
import DiscordModels

/// The channels an export of a guild covers, one decision for the plain and the windowed export: every archived or
/// imported channel of the guild (or of every guild), categories left out. A channel whose messages were never
/// archived (the bot could not read it, or no run reached it) is skipped with its reason, since an empty file or an
/// empty windowed manifest would look like a complete, empty channel. A forum or media channel, which holds only
/// threads, stands for its posts when threads are included.
enum GuildExportSelection {
    /// The ids to export, in id order (forum posts after the channels), for ``ChannelSelection/expanding(_:threads:store:)``.
    static func channels(
        of guild: Snowflake<Guild>?, threads: ThreadInclusion, store: any ArchiveStore,
        skipped: (SkippedChannel) -> Void
    ) async throws -> [UInt64] {
        if let guild { try await ExportableGuild.require(guild, in: store) }
        let archived = try await store.channels(in: guild).filter { !$0.isThread && $0.type != .guildCategory }
        var ids = Set(archived.map(\.id.rawValue))
        var imported = Set<UInt64>()
        for channel in try await store.importedChannels() where guild == nil || channel.guildId == guild {
            imported.insert(channel.channelId.rawValue)
        }
        ids.formUnion(imported)
        var exported: [UInt64] = []
        var threadsOnly: [UInt64] = []
        for id in ids.sorted() {
            if !imported.contains(id), try await store.checkpoint(for: Snowflake(id)) == nil,
                try await store.messages(in: Snowflake(id), after: nil, limit: 1).isEmpty
            {
                // A forum or media channel holds no message of its own: its posts (threads) are what it exports.
                if threads != .none, let type = archived.first(where: { $0.id.rawValue == id })?.type,
                    type.hasThreads, !type.holdsMessages
                {
                    threadsOnly.append(id)
                    continue
                }
                let name = archived.first { $0.id.rawValue == id }?.name ?? "channel \(id)"
                skipped(
                    SkippedChannel(
                        id: Snowflake(id), name: name,
                        reason: "never archived (the bot could not read it, or no `skald archive` run reached it); "
                            + "no file written"))
                continue
            }
            exported.append(id)
        }
        for parent in threadsOnly {
            exported += try await ChannelSelection.expanding([parent], threads: threads, store: store).dropFirst()
        }
        return exported
    }
}
