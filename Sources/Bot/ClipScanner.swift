import ArchiveStore
import DiscordModels
import Foundation

/// `skald clips scan`: reads archived messages channel by channel and records their clips, in a scan run that
/// keeps a cursor per channel, so an interrupted scan resumes where it stopped.
public struct ClipScanner: Sendable {
    let store: any ArchiveStore & ClipStore
    let now: @Sendable () -> Date
    /// Messages read per query.
    public var pageSize = 500

    /// A scanner over `store`.
    public init(store: any ArchiveStore & ClipStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// Scans the selection: resumes the newest unfinished run with the same selection, else starts one.
    /// Deleted messages are skipped (their clips, if recorded earlier, are kept).
    /// - Parameter continuing: a new run starts from the cursors of the newest finished run with the same
    ///   selection (only messages archived since are read: the bot's scan after a catch-up).
    /// - Returns: the run as it ended.
    public func scan(
        guild: Snowflake<Guild>?, channels: [Snowflake<Channel>], since: Date?, continuing: Bool = false,
        progress: @Sendable (ClipScanRun) -> Void = { _ in }
    ) async throws -> ClipScanRun {
        var fresh = ClipScanRun(guildId: guild, channelIds: channels, since: since, startedAt: now())
        let recent = try await store.clipScans(limit: 50).filter { $0.hasSameSelection(as: fresh) }
        if continuing, let last = recent.first(where: { $0.status == .finished }) { fresh.cursors = last.cursors }
        var run = recent.first { $0.status == .running } ?? fresh
        try await store.saveClipScan(run)
        do {
            for channel in try await selectedChannels(guild: guild, channels: channels) {
                try await scan(channel, run: &run)
                progress(run)
            }
            run.status = .finished
            run.finishedAt = now()
            try await store.saveClipScan(run)
            return run
        } catch {
            run.status = .failed
            run.error = "\(error)"
            run.finishedAt = now()
            try? await store.saveClipScan(run)
            throw error
        }
    }

    private func selectedChannels(guild: Snowflake<Guild>?, channels: [Snowflake<Channel>]) async throws
        -> [Snowflake<Channel>]
    {
        let known = try await store.channels(in: guild).map(\.id)
        guard !channels.isEmpty else { return known.sorted() }
        let wanted = Set(channels)
        return known.filter { wanted.contains($0) }.sorted()
    }

    private func scan(_ channel: Snowflake<Channel>, run: inout ClipScanRun) async throws {
        var cursor = run.cursors[channel]
        if let since = run.since, cursor == nil {
            // Message ids are time-ordered: start just below the first id of `since`.
            if let floor = Snowflake<Message>(exactly: since), floor.rawValue > 0 {
                cursor = Snowflake(floor.rawValue - 1)
            }
        }
        while true {
            let page = try await store.messages(in: channel, after: cursor, limit: pageSize, includeDeleted: false)
            guard let last = page.last else { break }
            let at = now()
            let clips = page.flatMap { ClipRecords.of($0, at: at) }
            try await store.recordClips(clips)
            run.messagesScanned += page.count
            run.clipsFound += clips.count
            run.cursors[channel] = last.id
            cursor = last.id
            try await store.saveClipScan(run)
            if page.count < pageSize { break }
        }
    }
}
