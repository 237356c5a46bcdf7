import ArchiveStore
import DiscordModels

/// The channels a list of ids names, as DiscordChatExporter reads `export -c`: a category's id stands for the
/// channels inside it ("If provided with category ID(s), all channels inside those categories will be exported");
/// any other id stays as given. Without this a category became one empty document.
enum ChannelSelection {
    /// `ids` with each archived category replaced by its channels (not threads: those follow `--include-threads`;
    /// not forums, whose posts are threads), in id order, each channel once.
    static func expandingCategories(_ ids: [UInt64], store: any ArchiveStore) async throws -> [UInt64] {
        let all = try await store.channels(in: nil)
        let wanted = Set(ids)
        let categories = Set(
            all.filter { $0.type == .guildCategory && wanted.contains($0.id.rawValue) }.map(\.id.rawValue))
        guard !categories.isEmpty else { return ids }
        // Forum and media channels hold no messages of their own (their posts are threads).
        let children = all.filter {
            !$0.isThread && $0.type != .guildForum && $0.type != .guildMedia
                && $0.parentId.map { categories.contains($0.rawValue) } == true
        }
        var seen: Set<UInt64> = []
        var result: [UInt64] = []
        for id in ids {
            let expanded =
                categories.contains(id)
                ? children.filter { $0.parentId?.rawValue == id }.map(\.id.rawValue).sorted() : [id]
            for channel in expanded where seen.insert(channel).inserted { result.append(channel) }
        }
        return result
    }

    /// `ids` with categories expanded, each channel followed by its threads per `threads` (`active` leaves the
    /// archived ones out), as `export --include-threads` reads them; each channel once, where it first appears (a
    /// channel named twice, or by `--channel` and by its `--guild`, was exported twice into one file).
    static func expanding(_ ids: [UInt64], threads: ThreadInclusion, store: any ArchiveStore) async throws
        -> [UInt64]
    {
        let channels = try await expandingCategories(ids, store: store)
        var seen: Set<UInt64> = []
        var result: [UInt64] = []
        let all = threads == .none ? [] : try await store.channels(in: nil)
        for id in channels where seen.insert(id).inserted {
            result.append(id)
            for thread in all where thread.isThread && thread.parentId?.rawValue == id {
                if threads == .active && thread.threadArchived == true { continue }
                if seen.insert(thread.id.rawValue).inserted { result.append(thread.id.rawValue) }
            }
        }
        return result
    }
}
