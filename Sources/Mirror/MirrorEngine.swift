import ArchiveStore
import DiscordModels
import Foundation
import Logging

/// Runs a ``MirrorPlan`` against Fluxer: roles (created, then hoist/mentionable, then one reorder), channels
/// in plan order with their role overwrites, then each channel's messages oldest first through one webhook per
/// channel (channels in parallel). Every write's result is recorded in the archive right after it returns; a
/// message part's row is its "sent" mark, and its webhook nonce lets a target that de-duplicates by nonce answer
/// a resend after a crash with the first copy.
public struct MirrorEngine: Sendable {
    let store: any MessageStore & MirrorStore
    let target: FluxerTarget
    let logger: Logger
    /// How many channels send at once.
    public var parallelChannels = 8

    /// An engine writing to `target` and recording in `store`.
    public init(store: any MessageStore & MirrorStore, target: FluxerTarget, logger: Logger) {
        self.store = store
        self.target = target
        self.logger = logger
    }

    /// Counts of what a run did.
    public struct Result: Sendable, Hashable {
        /// Roles created.
        public var roles = 0
        /// Channels created.
        public var channels = 0
        /// Message parts sent.
        public var messages = 0
    }

    /// Executes `plan`; `progress` receives one line per step.
    public func run(_ plan: MirrorPlan, progress: @escaping @Sendable (String) -> Void = { _ in }) async throws
        -> Result
    {
        var result = Result()
        var roleIds: [UInt64: UInt64] = [plan.sourceGuild: target.guild]
        var createdRole = false
        for role in plan.roles {
            if let made = role.targetId {
                roleIds[role.sourceId] = made
                continue
            }
            let id = try await target.createRole(name: role.name, color: role.color, permissions: role.permissions)
            try await record("role", role.sourceId, id, plan)
            if role.hoist || role.mentionable {
                try await target.updateRole(id, hoist: role.hoist, mentionable: role.mentionable)
            }
            roleIds[role.sourceId] = id
            result.roles += 1
            createdRole = true
            progress("role \"\(role.name)\" created")
        }
        if createdRole {
            try await target.reorderRoles(plan.roles.compactMap { roleIds[$0.sourceId] })
        }
        var channelIds: [UInt64: UInt64] = [:]
        for channel in plan.channels {
            if let made = channel.targetId {
                channelIds[channel.sourceId] = made
                continue
            }
            let overwrites: [[String: Any]] = channel.roleOverwrites.compactMap { overwrite in
                guard let role = roleIds[overwrite.roleId] else { return nil }
                return [
                    "id": String(role), "type": 0, "allow": String(overwrite.allow & FluxerTarget.allPermissions),
                    "deny": String(overwrite.deny & FluxerTarget.allPermissions),
                ]
            }
            let id = try await target.createChannel(
                name: channel.name, type: channel.type, topic: channel.topic,
                parent: channel.parentSourceId.flatMap { channelIds[$0] }, overwrites: overwrites)
            try await record("channel", channel.sourceId, id, plan)
            channelIds[channel.sourceId] = id
            result.channels += 1
            progress("channel \"\(channel.name)\" created")
        }
        let formatter = MirrorMessageFormatter(channels: channelIds, roles: roleIds)
        let mappings = try await store.mirrorMappings(target: plan.target)
        var webhooks: [UInt64: (UInt64, String)] = [:]
        var sent: Set<MessagePart> = []
        for mapping in mappings {
            if mapping.kind == "webhook", let token = mapping.extra {
                webhooks[mapping.sourceId] = (mapping.targetId, token)
            }
            if let channel = Self.messageChannel(of: mapping.kind) {
                sent.insert(MessagePart(channel: channel, id: mapping.sourceId, part: mapping.part))
            }
        }
        let channelMap = channelIds
        let work = plan.channels.filter { $0.pendingMessages > 0 && $0.type == 0 }
        let sentSnapshot = sent
        let webhookSnapshot = webhooks
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0
            var total = 0
            func add() {
                guard next < work.count else { return }
                let channel = work[next]
                next += 1
                group.addTask {
                    try await sendMessages(
                        of: channel, into: channelMap[channel.sourceId]!, webhook: webhookSnapshot[channel.sourceId],
                        sent: sentSnapshot, formatter: formatter, plan: plan, progress: progress)
                }
            }
            for _ in 0..<parallelChannels { add() }
            while let count = try await group.next() {
                total += count
                add()
            }
            return total
        }
        result.messages = counts
        return result
    }

    /// One part of one message (messages are identified by channel and id: a thread's starter message has
    /// the id of the parent channel's message).
    struct MessagePart: Hashable {
        var channel: UInt64
        var id: UInt64
        var part: Int
    }

    /// One message of one source channel.
    struct MessageKey: Hashable {
        var channel: UInt64
        var id: UInt64
    }

    /// The mapping kind of a message of `channel`: `message:<source channel id>`.
    static func messageKind(channel: UInt64) -> String { "message:\(channel)" }

    /// The source channel of a message mapping's kind, or nil for other kinds.
    static func messageChannel(of kind: String) -> UInt64? {
        guard kind.hasPrefix("message:") else { return nil }
        return UInt64(kind.dropFirst("message:".count))
    }

    private func sendMessages(
        of channel: MirrorPlan.ChannelItem, into targetChannel: UInt64, webhook known: (UInt64, String)?,
        sent: Set<MessagePart>, formatter: MirrorMessageFormatter, plan: MirrorPlan,
        progress: @Sendable (String) -> Void
    ) async throws -> Int {
        var webhook = known
        if webhook == nil {
            let made = try await target.createWebhook(channel: targetChannel, name: "Skald mirror")
            try await store.recordMirrorMapping(
                MirrorMapping(
                    target: plan.target, kind: "webhook", sourceId: channel.sourceId, targetId: made.id,
                    extra: made.token))
            webhook = made
        }
        guard let webhook else { return 0 }
        let (webhookId, token) = webhook
        var count = 0
        var after: Snowflake<Message>?
        while true {
            try Task.checkCancellation()
            let batch = try await store.messages(in: Snowflake(channel.sourceId), after: after, limit: 200)
            guard let last = batch.last else { break }
            after = last.id
            for stored in batch where stored.deletedAt == nil {
                let message = MirrorSourceMessage(
                    id: stored.id.rawValue, timestamp: stored.timestamp.date ?? Date(timeIntervalSince1970: 0),
                    content: stored.content, json: stored.json)
                for (index, text) in formatter.parts(of: message).enumerated()
                where !sent.contains(MessagePart(channel: channel.sourceId, id: message.id, part: index)) {
                    let id = try await target.execute(
                        webhook: webhookId, token: token, content: text, username: message.authorName,
                        avatarURL: message.avatarURL, nonce: "\(message.id)-\(index)")
                    try await store.recordMirrorMapping(
                        MirrorMapping(
                            target: plan.target, kind: Self.messageKind(channel: channel.sourceId),
                            sourceId: message.id,
                            part: index, targetId: id))
                    count += 1
                }
            }
        }
        progress("channel \"\(channel.name)\": \(count) messages sent")
        return count
    }

    private func record(_ kind: String, _ source: UInt64, _ targetId: UInt64, _ plan: MirrorPlan) async throws {
        try await store.recordMirrorMapping(
            MirrorMapping(target: plan.target, kind: kind, sourceId: source, targetId: targetId))
    }
}
