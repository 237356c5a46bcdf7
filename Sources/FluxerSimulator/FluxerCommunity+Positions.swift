import Foundation

extension FluxerCommunity {
    /// One item of `PATCH /guilds/{g}/channels` (fluxer-api.md §3.2).
    struct ChannelMove: Sendable {
        var id: UInt64
        var position: Int?
        /// Whether `parent_id` was given (null moves the channel out of its category).
        var setsParent = false
        var parentId: UInt64?
        /// [N] `preceding_sibling_id`: given (null: first), beats `position`.
        var setsPrecedingSibling = false
        var precedingSiblingId: UInt64?
    }

    /// The guild's channels as ordered blocks: each top-level channel (a category or a parentless channel) with
    /// the children of a category after it. Positions are the flattened order, 1..N.
    func orderedTree() -> [(top: Channel, children: [Channel])] {
        let sorted = channelsByPosition()
        return sorted.filter { $0.parentId == nil }.map { top in
            (top, top.type == 4 ? sorted.filter { $0.parentId == top.id } : [])
        }
    }

    /// Reorders channels (§3.2, §7 item 9): items run in order; `position` is the index among the siblings of the
    /// same parent (the moved channel excluded), `position − 1` when the parent changes; omitted → the end (a text
    /// channel before the first voice one); categories move with their children and take no parent; voice above
    /// text or link in a category → 400. Then positions are renumbered 1..N. Nothing changes on an error.
    func reorderChannels(_ moves: [ChannelMove], newer: Bool) throws(FluxerError) {
        var tops = orderedTree().map(\.top.id)
        var children: [UInt64: [UInt64]] = [:]
        var parent: [UInt64: UInt64?] = [:]
        var types: [UInt64: Int] = [:]
        for channel in channels {
            types[channel.id] = channel.type
            parent[channel.id] = channel.parentId
        }
        for (top, kids) in orderedTree() { children[top.id] = kids.map(\.id) }
        for move in moves {
            guard let type = types[move.id], let oldParent = parent[move.id] else {
                throw FluxerError(404, "UNKNOWN_CHANNEL", "Unknown channel")
            }
            let newParent = move.setsParent ? move.parentId : oldParent
            if let newParent {
                guard type != 4 else {
                    throw FluxerError(400, "INVALID_FORM_BODY", "A category takes no parent", path: "parent_id")
                }
                guard types[newParent] == 4 else {
                    throw FluxerError(400, "INVALID_FORM_BODY", "Invalid parent", path: "parent_id")
                }
            }
            // Take it out.
            if let oldParent {
                children[oldParent]?.removeAll { $0 == move.id }
            } else {
                tops.removeAll { $0 == move.id }
            }
            var siblings = newParent.flatMap { children[$0] } ?? tops
            var index: Int
            if newer && move.setsPrecedingSibling {
                if let preceding = move.precedingSiblingId {
                    guard let at = siblings.firstIndex(of: preceding) else {
                        throw FluxerError(
                            400, "INVALID_FORM_BODY", "Unknown preceding sibling", path: "preceding_sibling_id")
                    }
                    index = at + 1
                } else {
                    index = 0
                }
            } else if let position = move.position {
                index = newParent != oldParent ? position - 1 : position
            } else if newParent != nil, type != 2, let voice = siblings.firstIndex(where: { types[$0] == 2 }) {
                index = voice
            } else {
                index = siblings.count
            }
            index = min(max(0, index), siblings.count)
            siblings.insert(move.id, at: index)
            if let newParent {
                children[newParent] = siblings
                // Voice above a text or link channel in a category is refused.
                let kinds = siblings.compactMap { types[$0] }
                if let firstVoice = kinds.firstIndex(of: 2), kinds[firstVoice...].contains(where: { $0 != 2 }) {
                    throw FluxerError(
                        400, "INVALID_FORM_BODY", "Voice channels cannot be above text channels",
                        path: "preceding_sibling_id")
                }
            } else {
                tops = siblings
            }
            parent[move.id] = newParent
        }
        var position = 0
        var order: [UInt64: Int] = [:]
        for top in tops {
            position += 1
            order[top] = position
            for child in children[top] ?? [] {
                position += 1
                order[child] = position
            }
        }
        for index in channels.indices {
            let id = channels[index].id
            channels[index].parentId = parent[id] ?? nil
            channels[index].position = order[id] ?? channels[index].position
        }
    }

    /// Takes the `guild:<id>:channel-positions` or `role-positions` lock (§3.2, §7 item 10): false when a reorder
    /// holds it (the caller answers 423).
    func lockPositions(_ name: String) -> Bool {
        if forcedLocks > 0 {
            forcedLocks -= 1
            return false
        }
        return heldLocks.insert(name).inserted
    }

    /// Releases a positions lock.
    func unlockPositions(_ name: String) { heldLocks.remove(name) }

    /// The next `bucket` requests answer a bucket 429, the next `global` a global 429, the next `locked` reorders
    /// a 423 (§7 item 5).
    func force(bucket: Int, global: Int, locked: Int) {
        forcedBucket += bucket
        forcedGlobal += global
        forcedLocks += locked
    }

    /// Whether the next request is forced to a 429: `.global`, `.bucket` or nil.
    func takeForcedRateLimit() -> Bool? {
        if forcedGlobal > 0 {
            forcedGlobal -= 1
            return true
        }
        if forcedBucket > 0 {
            forcedBucket -= 1
            return false
        }
        return nil
    }

    /// The highest position among the bot's roles (its top role; §3.3 hierarchy).
    func botTopPosition() -> Int {
        roles.first { $0.id == botRoleId }?.position ?? 0
    }

    /// The role hierarchy (§3.3, §7 item 13): a non-owner edits or moves only roles below its top role, and
    /// moves none to or above it; ADMINISTRATOR does not bypass this; the owner does.
    func checkHierarchy(role id: UInt64, to position: Int? = nil, asOwner: Bool) throws(FluxerError) {
        guard !asOwner else { return }
        let top = botTopPosition()
        guard let role = roles.first(where: { $0.id == id }) else {
            throw FluxerError(404, "UNKNOWN_ROLE", "Unknown role")
        }
        if role.id != guildId && role.position >= top {
            throw FluxerError(403, "MISSING_PERMISSIONS", "Missing permissions")
        }
        if let position, position >= top {
            throw FluxerError(403, "MISSING_PERMISSIONS", "Missing permissions")
        }
    }
}
