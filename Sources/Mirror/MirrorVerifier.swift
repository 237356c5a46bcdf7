import ArchiveStore
import DiscordModels
import DiscordREST
import Foundation

/// Compares a mirror's target with the archive, channel by channel (`skald mirror verify`): every recorded copy
/// exists on the target, nothing our webhook posted is unrecorded (a duplicate), copies are in source order,
/// nothing is left to send, and a sample of copies has exactly the text the mirror sends for its source.
public struct MirrorVerifier: Sendable {
    let store: any MessageStore & MirrorStore
    let target: MirrorTarget
    /// How many copies per channel have their text compared.
    public var samplePerChannel = 5
    /// The attachment settings the mirror ran with (which files rode along and which were linked shapes the text);
    /// nil: as a mirror without them.
    public var attachments: MirrorAttachments?

    /// A verifier of `target` against `store`.
    public init(store: any MessageStore & MirrorStore, target: MirrorTarget) {
        self.store = store
        self.target = target
    }

    /// The verdict for one channel.
    public struct ChannelReport: Sendable, Hashable {
        /// The channel's name in the plan.
        public var name: String
        /// Message parts the archive calls for.
        public var expected: Int
        /// Copies recorded in the archive.
        public var recorded: Int
        /// Messages of the mirror's webhook on the target.
        public var onTarget: Int
        /// Recorded copies the target no longer has.
        public var missing: Int
        /// Messages of the mirror's webhook the archive did not record (duplicates or an unrecorded send).
        public var unrecorded: Int
        /// Copies out of source order.
        public var outOfOrder: Int
        /// Sampled copies whose text differs from what the mirror sends.
        public var contentMismatches: Int
        /// Sampled copies.
        public var sampled: Int

        /// The target refuses the bot every read of the channel (NSFW on Fluxer): only ``recorded`` was checked.
        public var ageRestricted = false

        /// Whether the channel matches.
        public var isComplete: Bool {
            expected == recorded && missing == 0 && unrecorded == 0 && outOfOrder == 0 && contentMismatches == 0
        }

        /// The report in one line.
        public var line: String {
            let state = isComplete ? "ok" : "MISMATCH"
            if ageRestricted {
                return "\(state) \"\(name)\": \(recorded) of \(expected) parts recorded; age-restricted (NSFW) on "
                    + "the target, where Fluxer does not let a bot read: its copies cannot be compared"
            }
            return "\(state) \"\(name)\": \(recorded) of \(expected) parts recorded, \(onTarget) on the target, "
                + "\(missing) missing, \(unrecorded) unrecorded, \(outOfOrder) out of order, "
                + "\(contentMismatches) of \(sampled) sampled texts differ"
        }
    }

    /// Verifies every text channel of `plan` that has a copy on the target.
    public func verify(_ plan: MirrorPlan) async throws -> [ChannelReport] {
        let mappings = try await store.mirrorMappings(target: plan.target)
        var channelIds: [UInt64: UInt64] = [:]
        var roleIds: [UInt64: UInt64] = [plan.sourceGuild: target.guild]
        var webhooks: [UInt64: UInt64] = [:]
        // Webhooks deleted on the target and replaced, by hosting channel: their copies are still the mirror's.
        var retired: [UInt64: Set<UInt64>] = [:]
        var emojis: [UInt64: String] = [:]
        var stickers: [UInt64: UInt64] = [:]
        var copies: [UInt64: [MirrorMapping]] = [:]
        for mapping in mappings {
            switch mapping.kind {
            case "channel": channelIds[mapping.sourceId] = mapping.targetId
            case "role": roleIds[mapping.sourceId] = mapping.targetId
            case "webhook": webhooks[mapping.sourceId] = mapping.targetId
            case MirrorEngine.retiredWebhookKind: retired[mapping.targetId, default: []].insert(mapping.sourceId)
            case "emoji": emojis[mapping.sourceId] = "\(mapping.extra ?? "emoji"):\(mapping.targetId)"
            case "sticker": stickers[mapping.sourceId] = mapping.targetId
            default:
                if let channel = MirrorEngine.messageChannel(of: mapping.kind) {
                    copies[channel, default: []].append(mapping)
                }
            }
        }
        let formatter = MirrorMessageFormatter(channels: channelIds, roles: roleIds, emojis: emojis)
        let nativeReplies = try await target.keepsReplies()
        var media = attachments
        // As the engine: Fluxer [B] webhooks take no files (§3.5).
        if target.service == .fluxer && !nativeReplies { media?.uploadsAllowed = false }
        // As the engine: stickers as `sticker_ids` only where the target's webhooks take them (Fluxer [N]).
        let stickerCopies = nativeReplies && target.service == .fluxer ? stickers : [:]
        var reports: [ChannelReport] = []
        for channel in plan.channels where MirrorEngine.takesMessages(channel.type, on: target) {
            guard let targetChannel = channelIds[channel.sourceId] else { continue }
            let recorded = (copies[channel.sourceId] ?? []).sorted { ($0.sourceId, $0.part) < ($1.sourceId, $1.part) }
            // A thread's copies come from its parent's webhook.
            let host = MirrorEngine.webhookHost(of: channel, on: target)
            let ours = (retired[host] ?? []).union(webhooks[host].map { [$0] } ?? [])
            var ageRestricted = false
            let onTarget: [MirrorTarget.SentMessage]
            do {
                onTarget = try await target.allMessages(channel: targetChannel).filter {
                    $0.webhookId.map(ours.contains) ?? false
                }
            } catch let error as DiscordRESTError where error.errorCodeName == "NSFW_CONTENT_AGE_RESTRICTED" {
                // Fluxer refuses bots every read of an NSFW text channel (fluxer-api.md §3.2), which the mirror sets
                // last: only the archive's side (every part recorded) can be checked.
                onTarget = []
                ageRestricted = true
            }
            let byId = Dictionary(onTarget.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let recordedIds = Set(recorded.map(\.targetId))
            var report = ChannelReport(
                name: channel.name, expected: 0, recorded: recorded.count, onTarget: onTarget.count,
                missing: ageRestricted ? 0 : recorded.filter { byId[$0.targetId] == nil }.count,
                unrecorded: onTarget.filter { !recordedIds.contains($0.id) }.count, outOfOrder: 0,
                contentMismatches: 0, sampled: 0)
            report.ageRestricted = ageRestricted
            for (earlier, later) in zip(recorded, recorded.dropFirst()) where later.targetId < earlier.targetId {
                report.outOfOrder += 1
            }
            // Expected parts and the sampled texts, from the archive.
            let step = max(1, recorded.count / max(1, samplePerChannel))
            let sampled = Dictionary(
                stride(from: 0, to: recorded.count, by: step).prefix(samplePerChannel).map {
                    (
                        MirrorEngine.MessagePart(
                            channel: channel.sourceId, id: recorded[$0].sourceId, part: recorded[$0].part),
                        recorded[$0].targetId
                    )
                }, uniquingKeysWith: { first, _ in first })
            let partTargets = Dictionary(
                recorded.filter { $0.part == 0 }.map { ($0.sourceId, $0.targetId) }, uniquingKeysWith: { a, _ in a })
            var after = plan.messageCursor
            while true {
                let batch = try await store.messages(in: Snowflake(channel.sourceId), after: after, limit: 500)
                guard let last = batch.last else { break }
                after = last.id
                for stored in batch where stored.deletedAt == nil {
                    var message = MirrorSourceMessage(
                        id: stored.id.rawValue, timestamp: stored.timestamp.date ?? Date(timeIntervalSince1970: 0),
                        content: stored.content, json: stored.json)
                    if let media, !message.attachmentNames.isEmpty {
                        let choice = media.choose(
                            try await store.attachments(of: stored.id, in: Snowflake(channel.sourceId)))
                        message.attachmentNames = choice.linked
                        message.uploadCount = choice.uploads.count
                    }
                    _ = message.sendStickers(copies: stickerCopies)
                    let native = nativeReplies && message.replyToId.flatMap { partTargets[$0] } != nil
                    let parts = formatter.parts(of: message, nativeReply: native)
                    report.expected += parts.count
                    for (index, text) in parts.enumerated() {
                        let key = MirrorEngine.MessagePart(channel: channel.sourceId, id: message.id, part: index)
                        guard !ageRestricted, let copyId = sampled[key] else { continue }
                        report.sampled += 1
                        if byId[copyId]?.content != text { report.contentMismatches += 1 }
                    }
                }
            }
            reports.append(report)
        }
        return reports
    }
}
