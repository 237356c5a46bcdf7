import ArchiveStore
import DiscordModels

extension WindowedExporter {
    /// The channels a windowed export of `guild` covers: those with messages of their own (threads and categories
    /// are left out), of every archived guild when `guild` is `nil`.
    public func exportableChannels(in guild: Snowflake<Guild>?) async throws -> [UInt64] {
        if let guild { try await ExportableGuild.require(guild, in: store) }
        return try await store.channels(in: guild).filter { !$0.isThread && $0.type != .guildCategory }
            .map(\.id.rawValue)
    }

    /// Exports each of `channels` in turn (``export(channel:to:)``), telling `progress` about each finished run.
    /// - Returns: the runs, in the order of `channels`.
    @discardableResult
    public func export(
        channels: [UInt64], to root: String, progress: (RunSummary) -> Void = { _ in }
    ) async throws -> [RunSummary] {
        var runs: [RunSummary] = []
        for channel in try await ChannelSelection.expandingCategories(channels, store: store) {
            let run = try await export(channel: channel, to: root)
            progress(run)
            runs.append(run)
        }
        return runs
    }
}
