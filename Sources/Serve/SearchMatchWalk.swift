import ArchiveStore
import DiscordModels

/// One channel's matches of a search, oldest first, a batch at a time, through the merged history's newest-first
/// search (archived and imported matches, each as the copy its channel shows: see ``AscendingWindows``): an export
/// of every match streams without holding the matches, and without reading the channel's other messages.
struct SearchMatchWalk {
    let history: MergedHistory
    /// The search, limited to the channel.
    let search: MessageSearch
    /// Matches per batch at most.
    let batchSize: Int
    private var windows: AscendingWindows

    /// The walk of `search`'s matches in `channel`, or `nil` when it has none there.
    init?(
        history: MergedHistory, search: MessageSearch, channel: Snowflake<Channel>, batchSize: Int = 500
    ) async throws {
        guard search.channels.isEmpty || search.channels.contains(channel) else { return nil }
        var search = search
        search.channels = [channel]
        guard let newest = try await history.search(search, before: nil, limit: 1).first else { return nil }
        self.history = history
        self.search = search
        self.batchSize = batchSize
        // Exclusive: the one id 2^64 − 1 (the last increment of 2154's last millisecond) has no bound above it.
        let (end, overflow) = newest.id.rawValue.addingReportingOverflow(1)
        windows = AscendingWindows(low: search.minimumId?.rawValue ?? 0, high: overflow ? UInt64.max : end)
    }

    /// The next matches, ascending, or `nil` after the last.
    mutating func next() async throws -> [MergedHistory.Match]? {
        while let (lower, upper) = windows.window {
            var window = search
            window.minimumId = Snowflake(lower)
            window.maximumId = Snowflake(upper)
            let found = try await history.matches(window, before: nil, limit: batchSize + 1)
            if windows.found(found.count, limit: batchSize), !found.isEmpty { return found.reversed() }
        }
        return nil
    }
}
