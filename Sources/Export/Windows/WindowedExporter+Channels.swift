import ArchiveStore
import DiscordModels

extension WindowedExporter {
    /// The channels a windowed export of `guild` (of every guild when `nil`) covers, as the plain export's
    /// (``GuildExportSelection``): the never-archived ones are told to `skipped`, forum posts stand for their forum.
    public func exportableChannels(
        in guild: Snowflake<Guild>?, skipped: (SkippedChannel) -> Void = { _ in }
    ) async throws -> [UInt64] {
        try await GuildExportSelection.channels(
            of: guild, threads: options.includeThreads, store: store, skipped: skipped)
    }

    /// Exports each of `channels` in turn (``export(channel:to:)``), telling `progress` about each finished run.
    /// - Returns: the runs, in the order of `channels`.
    @discardableResult
    public func export(
        channels: [UInt64], to root: String, progress: (RunSummary) -> Void = { _ in }
    ) async throws -> [RunSummary] {
        var runs: [RunSummary] = []
        for channel in try await ChannelSelection.expanding(channels, threads: options.includeThreads, store: store) {
            let run = try await export(channel: channel, to: root)
            progress(run)
            runs.append(run)
        }
        return runs
    }
}

extension WindowedExporter {
    /// Repairs each of `channels` in turn (``repair(channel:in:)``, the same channels ``export(channels:to:progress:)``
    /// covers), telling `progress` about each file rewritten.
    public func repair(
        channels: [UInt64], in root: String, progress: (UInt64, RepairedFile) -> Void = { _, _ in }
    ) async throws {
        for channel in try await ChannelSelection.expanding(channels, threads: options.includeThreads, store: store) {
            for file in try await repair(channel: channel, in: root) { progress(channel, file) }
        }
    }
}
