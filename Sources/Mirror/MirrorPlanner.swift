import ArchiveStore
import DiscordModels
import Foundation

/// Builds a ``MirrorPlan`` from the archive and the mappings recorded by earlier runs (fluxer-api.md §6).
public struct MirrorPlanner: Sendable {
    let store: any StructureStore & MessageStore & ImportStore & MirrorStore

    /// A planner over `store`.
    public init(store: any StructureStore & MessageStore & ImportStore & MirrorStore) { self.store = store }

    /// The plan for `sourceGuild` into `target`.
    /// - Throws: ``MirrorError`` when the archive holds nothing of `sourceGuild` or only its imported messages, when
    ///   `target` is `sourceGuild` itself, or when `only` or `excluding` names a channel the guild does not have.
    /// - Parameters:
    ///   - only: when given, the channels to mirror (a category selects its channels, a channel its threads);
    ///     the categories of what is selected come along.
    ///   - excluding: channels left out (a category leaves out its channels, a channel its threads).
    ///   - after: only messages with an id at or above this one (`--after`).
    ///   - keepingChannelTypes: the target keeps every guild channel type and real threads (Discord): types are
    ///     kept and a thread stays a thread of its parent; otherwise (Fluxer) announcement, forum and media
    ///     channels become text channels, stage channels voice, and each thread a text channel named after its
    ///     parent (fluxer-api.md §6).
    public func plan(
        sourceGuild: UInt64, target: String, only: Set<UInt64>? = nil, excluding: Set<UInt64> = [],
        after: UInt64? = nil, keepingChannelTypes: Bool = false
    ) async throws -> MirrorPlan {
        let cursor = after.flatMap { $0 > 0 ? Snowflake<Message>($0 - 1) : nil }
        // Objects only: message parts and pins are read per batch of messages (the map is never held whole).
        var made: [String: [UInt64: UInt64]] = [:]
        for mapping in try await store.mirrorObjectMappings(target: target) where mapping.part == 0 {
            made[mapping.kind, default: [:]][mapping.sourceId] = mapping.targetId
        }
        let guild = Snowflake<Guild>(sourceGuild)
        try await requireSource(guild, target: target)
        var roles: [MirrorPlan.RoleItem] = []
        for object in try await store.objects(.role, in: guild) where object.deletedAt == nil {
            let json = Self.object(object.json)
            let id = object.id.rawValue
            if id == sourceGuild || (json["managed"] as? Bool) == true { continue }
            roles.append(
                .init(
                    sourceId: id, name: json["name"] as? String ?? "role", color: json["color"] as? Int ?? 0,
                    permissions: UInt64(json["permissions"] as? String ?? "0") ?? 0,
                    position: json["position"] as? Int ?? 0, hoist: json["hoist"] as? Bool ?? false,
                    mentionable: json["mentionable"] as? Bool ?? false, targetId: made["role"]?[id]))
        }
        roles.sort { ($0.position, $0.sourceId) < ($1.position, $1.sourceId) }

        let all = try await store.channels(in: guild).filter { $0.deletedAt == nil }
        let byId = Dictionary(all.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
        try Self.requireChannels(only ?? [], option: "--channel", of: guild, among: byId)
        try Self.requireChannels(excluding, option: "--exclude-channel", of: guild, among: byId)
        let stored = Self.select(all, only: only, excluding: excluding)
        var channels: [MirrorPlan.ChannelItem] = []
        for channel in stored {
            let json = Self.object(channel.json)
            let sourceType = channel.type.rawValue
            var parent = channel.parentId?.rawValue
            if channel.isThread, !keepingChannelTypes, let parentId = parent {
                parent = byId[parentId]?.parentId?.rawValue
            }
            let messages = try await pending(channel.id, from: cursor, target: target)
            let type: Int
            switch sourceType {
            case _ where keepingChannelTypes:
                type = [2, 4, 5, 10, 11, 12, 13, 15, 16].contains(sourceType) ? sourceType : 0
            case 4: type = 4
            case 2, 13: type = messages.count > 0 ? 0 : 2
            default: type = 0
            }
            var name = channel.name ?? "channel-\(channel.id.rawValue)"
            if channel.isThread, !keepingChannelTypes,
                let parentName = channel.parentId.flatMap({ byId[$0.rawValue]?.name })
            {
                name = "\(parentName)-\(name)"
            }
            let overwrites = (json["permission_overwrites"] as? [[String: Any]] ?? []).compactMap {
                item -> MirrorPlan.RoleOverwrite? in
                guard Self.int(item["type"]) == 0, let id = Self.uint(item["id"]) else { return nil }
                return .init(roleId: id, allow: Self.uint(item["allow"]) ?? 0, deny: Self.uint(item["deny"]) ?? 0)
            }
            channels.append(
                .init(
                    sourceId: channel.id.rawValue, name: String(name.prefix(100)), type: type, sourceType: sourceType,
                    topic: json["topic"] as? String, parentSourceId: type == 4 ? nil : parent,
                    roleOverwrites: overwrites, messageCount: messages.count, pendingMessages: messages.pending,
                    pendingBytes: messages.bytes, pendingPins: messages.pins,
                    targetId: made["channel"]?[channel.id.rawValue]))
            // Text-only fields on Fluxer (§3.2); threads become text channels but keep their parent's NSFW flag.
            if type == 0 && !keepingChannelTypes {
                let nsfwSource = channel.isThread ? channel.parentId.flatMap { byId[$0.rawValue] } : channel
                channels[channels.count - 1].nsfw =
                    nsfwSource.map { Self.object($0.json)["nsfw"] as? Bool ?? false } ?? false
                channels[channels.count - 1].slowmode = min(max(Self.int(json["rate_limit_per_user"]) ?? 0, 0), 21600)
                channels[channels.count - 1].settingsApplied =
                    made[MirrorEngine.settingsKind]?[channel.id.rawValue] != nil
            } else if keepingChannelTypes && type != 4 {
                // Discord takes both at creation (the OpenAPI spec's create-channel and create-thread bodies): a
                // channel its NSFW flag and slowmode, a thread its slowmode (it shows its parent's NSFW flag).
                channels[channels.count - 1].nsfw = !channel.isThread && (json["nsfw"] as? Bool ?? false)
                channels[channels.count - 1].slowmode = min(max(Self.int(json["rate_limit_per_user"]) ?? 0, 0), 21600)
                channels[channels.count - 1].settingsApplied = true
            }
        }
        // Categories first, then channels by their source position (text before voice in a category), threads
        // last: Fluxer ignores `position` and appends, so creation order is the final order (§3.2).
        let positions = Dictionary(stored.map { ($0.id.rawValue, $0.position ?? 0) }, uniquingKeysWith: { a, _ in a })
        func rank(_ item: MirrorPlan.ChannelItem) -> (Int, Int, Int, Int, UInt64) {
            let thread = [10, 11, 12].contains(item.sourceType) ? 1 : 0
            let group = item.type == 4 ? 0 : 1 + thread
            let parentPosition = item.parentSourceId.flatMap { positions[$0] } ?? -1
            return (group, parentPosition, item.type == 2 ? 1 : 0, positions[item.sourceId] ?? 0, item.sourceId)
        }
        channels.sort { rank($0) < rank($1) }
        var expressions: [MirrorPlan.ExpressionItem] = []
        for object in try await store.objects(.emoji, in: guild) where object.deletedAt == nil {
            let json = Self.object(object.json)
            if (json["managed"] as? Bool) == true { continue }
            let id = object.id.rawValue
            expressions.append(
                .init(
                    kind: "emoji", sourceId: id, name: json["name"] as? String ?? "emoji",
                    animated: json["animated"] as? Bool ?? false, targetId: made["emoji"]?[id]))
        }
        for object in try await store.objects(.sticker, in: guild) where object.deletedAt == nil {
            let json = Self.object(object.json)
            let id = object.id.rawValue
            expressions.append(
                .init(
                    kind: "sticker", sourceId: id, name: json["name"] as? String ?? "sticker",
                    format: json["format_type"] as? Int ?? 1, description: json["description"] as? String,
                    tags: json["tags"] as? String, targetId: made["sticker"]?[id]))
        }
        expressions.sort { ($0.kind, $0.sourceId) < ($1.kind, $1.sourceId) }
        var plan = MirrorPlan(
            sourceGuild: sourceGuild, target: target, roles: roles, channels: channels, after: after)
        plan.expressions = expressions
        return plan
    }

    /// Refuses a source the mirror would copy nothing of (a mistyped id, or a guild known only from imported DCE
    /// files, which keep messages but no roles, channels or overwrites) and a Discord target that is the source guild
    /// itself (every message would be posted back into it).
    private func requireSource(_ guild: Snowflake<Guild>, target: String) async throws {
        switch try await ArchivedGuild.presence(of: guild, in: store) {
        case .archived: break
        case .absent: throw MirrorError(message: ArchivedGuild.absenceMessage(guild, option: "--guild"))
        case .importedOnly:
            throw MirrorError(
                message: "guild \(guild) is in the archive only through imported files (DCE exports), which keep its "
                    + "messages but not the roles, channels and overwrites a mirror recreates: archive it first with "
                    + "`skald archive --guild \(guild)`, then mirror")
        }
        if target == "\(MirrorTarget.Service.discord.rawValue):\(guild)" {
            throw MirrorError(
                message: "the target guild \(guild) is the source guild itself: mirroring it would post every message "
                    + "into it again; pass another guild's id as --target-guild")
        }
    }

    /// Refuses channel ids (`--channel`, `--exclude-channel`) that are not among the source guild's archived
    /// channels: a mistyped id would otherwise select nothing, or leave out nothing.
    private static func requireChannels(
        _ ids: Set<UInt64>, option: String, of guild: Snowflake<Guild>, among channels: [UInt64: StoredChannel]
    ) throws {
        let unknown = ids.filter { channels[$0] == nil }.sorted()
        guard let first = unknown.first else { return }
        let named =
            unknown.count == 1
            ? "\(option) \(first) is not a channel"
            : "\(option) \(unknown.map(String.init).joined(separator: ", ")) are not channels"
        throw MirrorError(
            message: "\(named) of guild \(guild) in the archive: check the id (a channel, thread or category of the "
                + "source guild)")
    }

    /// Counts of a channel's live messages, those not completely sent, and their characters.
    private func pending(
        _ channel: Snowflake<Channel>, from cursor: Snowflake<Message>?, target: String
    ) async throws -> (count: Int, pending: Int, bytes: Int, pins: Int) {
        var pins = 0
        var count = 0
        var pending = 0
        var bytes = 0
        var after = cursor
        while true {
            let batch = try await store.messages(in: channel, after: after, limit: 1000)
            guard let first = batch.first, let last = batch.last else { break }
            after = last.id
            let range = first.id.rawValue...last.id.rawValue
            let sent = Set(
                try await store.mirrorMappings(
                    target: target, kind: MirrorEngine.messageKind(channel: channel.rawValue), sourceIds: range
                ).map(\.sourceId))
            let pinned = Set(
                try await store.mirrorMappings(target: target, kind: "pin:\(channel.rawValue)", sourceIds: range)
                    .map(\.sourceId))
            for message in batch where message.deletedAt == nil {
                count += 1
                if !sent.contains(message.id.rawValue) {
                    pending += 1
                    bytes += message.content.count + 32
                }
                if message.pinned && !pinned.contains(message.id.rawValue) { pins += 1 }
            }
        }
        return (count, pending, bytes, pins)
    }

    /// The channels a selection keeps: a channel is in when it, its category or (for a thread) its parent or the
    /// parent's category is selected and none of them is excluded; the categories of kept channels come along.
    static func select(_ channels: [StoredChannel], only: Set<UInt64>?, excluding: Set<UInt64>) -> [StoredChannel] {
        guard only != nil || !excluding.isEmpty else { return channels }
        let byId = Dictionary(channels.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
        func lineage(_ channel: StoredChannel) -> [UInt64] {
            var ids = [channel.id.rawValue]
            var parent = channel.parentId?.rawValue
            while let id = parent, ids.count < 4 {
                ids.append(id)
                parent = byId[id]?.parentId?.rawValue
            }
            return ids
        }
        var kept = channels.filter { channel in
            let ids = lineage(channel)
            guard !ids.contains(where: excluding.contains) else { return false }
            return only.map { selected in ids.contains(where: selected.contains) } ?? true
        }
        let keptIds = Set(kept.map(\.id.rawValue))
        let categories = Set(kept.compactMap { lineage($0).dropFirst().last })
        kept += channels.filter {
            $0.type.rawValue == 4 && categories.contains($0.id.rawValue) && !keptIds.contains($0.id.rawValue)
        }
        return kept
    }

    static func object(_ data: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    static func uint(_ value: Any?) -> UInt64? {
        if let text = value as? String { return UInt64(text) }
        if let number = value as? NSNumber { return number.uint64Value }
        return nil
    }

    static func int(_ value: Any?) -> Int? {
        if let text = value as? String { return Int(text) }
        return (value as? NSNumber)?.intValue
    }
}
