import ArchiveStore
import DiscordModels
import Foundation

/// What an export knows of a channel: its DCE header objects and the names its file name is made from. Taken
/// from the archive's Discord JSON, else from an imported file's header.
struct ChannelInfo {
    var id: UInt64
    var guildId: UInt64?
    var guild: JSONValue
    var channel: JSONValue
    var position: Int
    var parentPosition: Int
    /// The names of its parents, outermost first (a thread's category, then its channel), as far as the archive
    /// knows them.
    var ancestors: [String] = []

    var guildName: String { guild["name"]?.string ?? "" }
    var channelName: String { channel["name"]?.string ?? String(id) }
    var parentName: String? { channel["category"]?.string }
    var parentId: String? { channel["categoryId"]?.string }

    static func load(_ id: UInt64, store: any ArchiveStore, options: DCEExportOptions) async throws -> ChannelInfo {
        if let stored = try await store.object(.channel, id: AnySnowflake(id)) {
            let json = try JSONValue.parse(stored.json)
            let guildId = json["guild_id"]?.uint64 ?? stored.guildId?.rawValue
            var guildJSON: JSONValue?
            if let guildId, let object = try await store.object(.guild, id: AnySnowflake(guildId)) {
                guildJSON = try? JSONValue.parse(object.json)
            }
            let renderer = try await DCERenderer(store: store, options: options, guildId: guildId)
            var parentPosition = 0
            var ancestors: [String] = []
            if let parentId = json["parent_id"]?.uint64, let parent = await renderer.channel(parentId) {
                parentPosition = parent["position"]?.int ?? 0
                ancestors = [parent["name"]?.string ?? ""]
                // A thread's channel has its category (DCE names every parent in text and HTML headers).
                if let grandparentId = parent["parent_id"]?.uint64,
                    let grandparent = await renderer.channel(grandparentId)
                {
                    ancestors.insert(grandparent["name"]?.string ?? "", at: 0)
                }
            }
            var guildNode = DCERenderer.guildNode(guildJSON)
            if guildJSON == nil, let guildId {
                // The archive lacks the guild object: keep the id, invent no name or icon.
                guildNode = .object([
                    JSONValue.Member("id", .string(String(guildId))), JSONValue.Member("name", .string("")),
                    JSONValue.Member("iconUrl", .string("https://cdn.discordapp.com/embed/avatars/0.png")),
                ])
            }
            return ChannelInfo(
                id: id, guildId: guildId, guild: guildNode, channel: await renderer.channelNode(json),
                position: json["position"]?.int ?? 0, parentPosition: parentPosition, ancestors: ancestors)
        }
        if let imported = try await store.importedChannels().first(where: { $0.channelId.rawValue == id }) {
            // Direct messages under DCE 2.47's pseudo-guild (id `0`), whichever an older export wrote (`@me`).
            let guild = imported.guildId == nil ? DCERenderer.guildNode(nil) : try JSONValue.parse(imported.guildJSON)
            return ChannelInfo(
                id: id, guildId: imported.guildId?.rawValue, guild: guild,
                channel: DCERenderer.currentNames(try JSONValue.parse(imported.channelJSON), of: .channel),
                position: 0, parentPosition: 0)
        }
        throw ExportError.missing(
            "channel \(id) is not in the archive (neither archived nor imported): check the id and --db, or archive it "
                + "first with `skald archive --channel \(id)`")
    }
}

extension ChannelInfo {
    /// The header with the local icon paths of an imported `--media` export linked from the file being written.
    func linkingAssets(_ links: ImportedAssetLinks) -> ChannelInfo {
        var linked = self
        linked.guild = links.rewrite(guild)
        linked.channel = links.rewrite(channel)
        return linked
    }
}
