import ArchiveStore
import DiscordModels
import Foundation
import Testing

/// The behaviour every ``ArchiveStore`` backend must have. Each body takes a fresh, empty store;
/// ``StoreConformanceTests`` runs every body against every ``StoreBackend``.
enum StoreConformance {
    static let channel = Fixture.channel
    static let at = Date(timeIntervalSince1970: 1_790_000_000)

    // MARK: Pages

    /// Storing the same page twice changes nothing.
    static func idempotentPage(_ store: any ArchiveStore) async throws {
        let messages = try Fixture.messages(0..<100)
        let checkpoint = ChannelCheckpoint(
            channelId: channel, guildId: Fixture.guild, oldestArchivedId: messages.first?.value.id,
            newestArchivedId: messages.last?.value.id)
        let page = MessagePage(channelId: channel, guildId: Fixture.guild, messages: messages, checkpoint: checkpoint)
        let first = try await store.storeMessagePage(page)
        #expect(first == MessagePageResult(inserted: 100))
        let statsAfterFirst = try await store.stats()
        let second = try await store.storeMessagePage(page)
        #expect(second == MessagePageResult(unchanged: 100))
        #expect(try await store.stats() == statsAfterFirst)
        #expect(statsAfterFirst.messages == 100)
        #expect(statsAfterFirst.revisions == 0)
        #expect(try await store.messageIDs(in: channel) == messages.map(\.value.id))
        #expect(try await store.checkpoint(for: channel) == checkpoint)
        let stored = try #require(try await store.message(messages[42].value.id))
        #expect(stored.json == messages[42].json)
        #expect(stored.guildId == Fixture.guild)
        #expect(stored.content == messages[42].value.content)
        #expect(try stored.decoded().value == messages[42].value)
    }

    /// A page that fails part-way leaves neither its messages nor its checkpoint; a good page stores both.
    static func atomicPageAndCheckpoint(_ store: any ArchiveStore) async throws {
        let messages = try Fixture.messages(0..<50)
        let goodCheckpoint = ChannelCheckpoint(channelId: channel, newestArchivedId: messages.last?.value.id)

        // A checkpoint of another channel is only checked after the messages are written.
        let wrongCheckpoint = ChannelCheckpoint(channelId: Fixture.otherChannel, newestArchivedId: messages[0].value.id)
        await #expect(throws: ArchiveStoreError.self) {
            try await store.storeMessagePage(
                MessagePage(channelId: channel, guildId: nil, messages: messages, checkpoint: wrongCheckpoint))
        }
        // The last message belongs to another channel.
        let strayPage = messages + [try Fixture.message(99, channel: Fixture.otherChannel)]
        await #expect(throws: ArchiveStoreError.self) {
            try await store.storeMessagePage(
                MessagePage(channelId: channel, guildId: nil, messages: strayPage, checkpoint: goodCheckpoint))
        }
        // The last message's JSON is not UTF-8.
        var badBytes = Data(Fixture.messageJSON(98).utf8)
        badBytes.append(contentsOf: [0xFF, 0xFE])
        let badMessage = Decoded(value: try Fixture.message(98).value, json: badBytes)
        let error = await #expect(throws: ArchiveStoreError.self) {
            try await store.storeMessagePage(
                MessagePage(
                    channelId: channel, guildId: nil, messages: messages + [badMessage],
                    checkpoint: goodCheckpoint))
        }
        #expect(error?.isInvalidJSON == true)

        #expect(try await store.messageIDs(in: channel).isEmpty)
        #expect(try await store.checkpoint(for: channel) == nil)
        #expect(try await store.checkpoint(for: Fixture.otherChannel) == nil)
        #expect(try await store.stats() == ArchiveStats())

        let result = try await store.storeMessagePage(
            MessagePage(channelId: channel, guildId: nil, messages: messages, checkpoint: goodCheckpoint))
        #expect(result.inserted == 50)
        #expect(try await store.messageIDs(in: channel).count == 50)
        #expect(try await store.checkpoint(for: channel) == goodCheckpoint)
    }

    // MARK: Edits

    /// An edit keeps the previous version as a revision; storing either version again adds nothing.
    static func revisionOnEdit(_ store: any ArchiveStore) async throws {
        let original = try Fixture.message(1, content: "first words")
        let editedAt = "2026-11-20T10:00:00.000000+00:00"
        let edited = try Fixture.message(1, content: "second words", edited: editedAt)
        let id = original.value.id
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [original]))
        let result = try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [edited]))
        #expect(result == MessagePageResult(edited: 1))

        let current = try #require(try await store.message(id))
        #expect(current.content == "second words")
        #expect(current.editedTimestamp?.rawValue == editedAt)
        #expect(current.json == edited.json)
        #expect(current.revisionCount == 1)
        let revisions = try await store.revisions(of: id)
        #expect(revisions.count == 1)
        #expect(revisions.first?.content == "first words")
        #expect(revisions.first?.editedTimestamp == nil)
        #expect(revisions.first?.json == original.json)

        // The same edit again, then the original fetched late: nothing new.
        #expect(
            try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [edited]))
                == MessagePageResult(unchanged: 1))
        #expect(
            try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [original]))
                == MessagePageResult(unchanged: 1))
        #expect(try await store.message(id)?.content == "second words")
        #expect(try await store.revisions(of: id).count == 1)

        // A second edit adds a second revision, in order.
        let again = try Fixture.message(1, content: "third words", edited: "2026-11-21T10:00:00.000000+00:00")
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [again]))
        #expect(try await store.revisions(of: id).map(\.content) == ["first words", "second words"])
        let stats = try await store.stats()
        #expect(stats.revisions == 2)
        #expect(stats.editedMessages == 1)
        #expect(stats.messages == 1)
    }

    /// An older version fetched after a newer one (out-of-order workers) becomes a revision, not the current row.
    static func olderVersionBecomesRevision(_ store: any ArchiveStore) async throws {
        let original = try Fixture.message(1, content: "draft")
        let edited = try Fixture.message(1, content: "final", edited: "2026-11-20T10:00:00.000000+00:00")
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [edited]))
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [original]))
        #expect(try await store.message(original.value.id)?.content == "final")
        #expect(try await store.revisions(of: original.value.id).map(\.content) == ["draft"])
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [original]))
        #expect(try await store.revisions(of: original.value.id).count == 1)
    }

    /// Re-signed attachment URLs and new reaction counts update the row without a revision, and keep the
    /// media download state.
    static func noRevisionOnVolatileChange(_ store: any ArchiveStore) async throws {
        let first = try Fixture.message(1, attachments: 2, signature: "aa11", reactions: 1)
        let resigned = try Fixture.message(1, attachments: 2, signature: "bb22", reactions: 3)
        let id = first.value.id
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [first]))
        let attachment = try #require(first.value.attachments.first)
        try await store.recordDownload(of: attachment.id, sha256: "ab12", localPath: "media/a.png", at: at)

        let result = try await store.storeMessagePage(
            MessagePage(channelId: channel, guildId: nil, messages: [resigned]))
        #expect(result == MessagePageResult(refreshed: 1))
        #expect(try await store.revisions(of: id).isEmpty)
        let current = try #require(try await store.message(id))
        #expect(current.json == resigned.json)
        #expect(current.revisionCount == 0)
        let attachments = try await store.attachments(of: id)
        #expect(attachments.count == 2)
        #expect(attachments.allSatisfy { $0.url.contains("hm=bb22") })
        #expect(attachments.first?.sha256 == "ab12")
        #expect(attachments.first?.localPath == "media/a.png")
        #expect(try await store.reactions(of: id).map(\.count) == [3])
        #expect(try await store.stats().revisions == 0)
    }

    /// A view without MESSAGE_CONTENT (empty content) never replaces stored content.
    static func degradedViewIgnored(_ store: any ArchiveStore) async throws {
        let full = try Fixture.message(1, content: "secret plans")
        let empty = try Fixture.message(1, content: "")
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [full]))
        let result = try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [empty]))
        #expect(result == MessagePageResult(unchanged: 1))
        #expect(try await store.message(full.value.id)?.content == "secret plans")
        #expect(try await store.revisions(of: full.value.id).isEmpty)
    }

    // MARK: Deletions

    /// Deletion sets a tombstone; the message stays, and comes back to life if Discord shows it again.
    static func tombstones(_ store: any ArchiveStore) async throws {
        let messages = try Fixture.messages(0..<10)
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: messages))
        let doomed = [messages[2].value.id, messages[5].value.id, Fixture.messageID(999)]
        let recheck = ChannelCheckpoint(channelId: channel, lastRecheckAt: at)
        #expect(try await store.markMessagesDeleted(doomed, in: channel, at: at, checkpoint: recheck) == 2)
        #expect(try await store.markMessagesDeleted(doomed, in: channel, at: at, checkpoint: recheck) == 0)
        #expect(try await store.checkpoint(for: channel)?.lastRecheckAt == at)
        // Ids of another channel are not touched.
        #expect(
            try await store.markMessagesDeleted(
                [messages[3].value.id], in: Fixture.otherChannel, at: at,
                checkpoint: nil) == 0)

        let tombstoned = try #require(try await store.message(messages[2].value.id))
        #expect(tombstoned.deletedAt == at)
        #expect(tombstoned.json == messages[2].json)
        #expect(try await store.messageIDs(in: channel).count == 10)
        #expect(try await store.messageIDs(in: channel, includeDeleted: false).count == 8)
        var stats = try await store.stats()
        #expect(stats.messages == 10)
        #expect(stats.deletedMessages == 2)
        #expect(stats.liveMessages == 8)

        let result = try await store.storeMessagePage(
            MessagePage(channelId: channel, guildId: nil, messages: [messages[5]]))
        #expect(result == MessagePageResult(unchanged: 1, restored: 1))
        #expect(try await store.message(messages[5].value.id)?.deletedAt == nil)
        stats = try await store.stats()
        #expect(stats.deletedMessages == 1)
    }

    // MARK: Guild structure

    /// Meaningful changes keep the previous JSON; volatile ones do not; missing objects get tombstones.
    static func structureHistory(_ store: any ArchiveStore) async throws {
        let general = Fixture.channel
        let thread = Fixture.thread
        let first = GuildSnapshot(
            guild: try Fixture.guild(name: "Skald Test", memberCount: 10),
            channels: [
                try Fixture.channel(general, name: "general"),
                try Fixture.channel(Fixture.otherChannel, name: "random"),
            ],
            roles: [try Fixture.role(900_000_000_000_000_001, name: "@everyone"), try Fixture.role(800, name: "mods")],
            emojis: [try Fixture.emoji(700, name: "fox")])
        let changes = try await store.storeGuild(first)
        #expect(changes.inserted == 6)
        try await store.storeChannels([
            try Fixture.channel(thread, name: "a thread", type: 11, parent: general, archived: false)
        ])

        // Same snapshot again: nothing.
        #expect(try await store.storeGuild(first) == ObjectChanges(unchanged: 6))

        // Volatile changes only: member count, last message id.
        let volatile = GuildSnapshot(
            guild: try Fixture.guild(name: "Skald Test", memberCount: 11),
            channels: [
                try Fixture.channel(general, name: "general", lastMessage: Fixture.messageID(5)),
                try Fixture.channel(Fixture.otherChannel, name: "random"),
            ])
        #expect(try await store.storeGuild(volatile) == ObjectChanges(refreshed: 2, unchanged: 1))
        #expect(try await store.history(.guild, id: Fixture.guild.cast()).isEmpty)
        #expect(try await store.history(.channel, id: general.cast()).isEmpty)

        // Meaningful: renames; the role list lacks "mods"; the channel list lacks "random" (the thread stays).
        let renamed = GuildSnapshot(
            guild: try Fixture.guild(name: "Skald Renamed", memberCount: 11),
            channels: [try Fixture.channel(general, name: "general-chat", lastMessage: Fixture.messageID(5))],
            roles: [try Fixture.role(900_000_000_000_000_001, name: "@everyone")])
        let renameChanges = try await store.storeGuild(renamed)
        #expect(renameChanges.changed == 2)
        #expect(renameChanges.tombstoned == 2)

        let guildHistory = try await store.history(.guild, id: Fixture.guild.cast())
        #expect(guildHistory.count == 1)
        #expect(String(decoding: guildHistory[0].json, as: UTF8.self).contains("\"Skald Test\""))
        let channelHistory = try await store.history(.channel, id: general.cast())
        #expect(channelHistory.count == 1)
        #expect(String(decoding: channelHistory[0].json, as: UTF8.self).contains("\"general\""))
        #expect(try await store.object(.channel, id: general.cast())?.json == renamed.channels?[0].json)

        #expect(try await store.object(.role, id: AnySnowflake(800))?.deletedAt != nil)
        #expect(try await store.object(.role, id: AnySnowflake(900_000_000_000_000_001))?.deletedAt == nil)
        let channels = try await store.channels(in: Fixture.guild)
        #expect(channels.map(\.id) == [general, Fixture.otherChannel, thread])
        #expect(channels.first { $0.id == Fixture.otherChannel }?.deletedAt != nil)
        let storedThread = try #require(channels.first { $0.id == thread })
        #expect(storedThread.deletedAt == nil)
        #expect(storedThread.isThread)
        #expect(storedThread.parentId == general)
        #expect(storedThread.threadArchived == false)
        #expect(storedThread.type == .publicThread)
        // Emojis were not listed this time: untouched.
        #expect(try await store.object(.emoji, id: AnySnowflake(700))?.deletedAt == nil)
        #expect(try await store.objects(.role, in: Fixture.guild).count == 2)

        // A thread archived later keeps its previous state in the history.
        try await store.storeChannels([
            try Fixture.channel(thread, name: "a thread", type: 11, parent: general, archived: true)
        ])
        #expect(try await store.history(.channel, id: thread.cast()).count == 1)
        #expect(try await store.channels(in: nil).first { $0.id == thread }?.threadArchived == true)

        let stats = try await store.stats()
        #expect(stats.guilds == 1)
        #expect(stats.channels == 2)
        #expect(stats.threads == 1)
        #expect(stats.roles == 2)
        #expect(stats.emojis == 1)
    }

    // MARK: Users

    /// Authors and mentioned users are upserted; the latest sighting's profile wins; webhooks are not users.
    static func userUpserts(_ store: any ArchiveStore) async throws {
        let early = try Fixture.message(1, author: 5001, authorName: "alice", mentions: [6001])
        let late = try Fixture.message(2, author: 5001, authorName: "alicia")
        let hook = try Fixture.message(3, author: 7001, authorName: "captain-hook", webhook: true)
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [late, early, hook]))
        var stats = try await store.stats()
        #expect(stats.users == 2)
        let alice = try #require(try await store.object(.user, id: AnySnowflake(5001)))
        let aliceUser = try JSONDecoder().decode(User.self, from: alice.json)
        #expect(aliceUser.username == "alicia")
        #expect(String(decoding: alice.json, as: UTF8.self).contains("primary_guild"))
        #expect(try await store.object(.user, id: AnySnowflake(7001)) == nil)
        let mentioned = try #require(try await store.object(.user, id: AnySnowflake(6001)))
        #expect(try JSONDecoder().decode(User.self, from: mentioned.json).username == "user6001")

        // The older page again does not roll the profile back.
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [early]))
        #expect(
            try JSONDecoder().decode(
                User.self, from: try #require(try await store.object(.user, id: AnySnowflake(5001))).json
            ).username == "alicia")

        // A later direct observation wins.
        try await store.storeUsers(
            [try Fixture.user(5001, name: "ally")], observedAt: Date(timeIntervalSince1970: 1_900_000_000))
        let ally = try #require(try await store.object(.user, id: AnySnowflake(5001)))
        #expect(try JSONDecoder().decode(User.self, from: ally.json).username == "ally")
        #expect(ally.json == (try Fixture.user(5001, name: "ally")).json)

        // Members bring their users.
        let member: Decoded<GuildMember> = try Fixture.decode(
            #"{"user":\#(Fixture.userJSON(8001, name: "bob")),"nick":"Bobby","roles":[],"joined_at":"2025-01-01T00:00:00.000000+00:00","deaf":false,"mute":false,"flags":0}"#
        )
        try await store.storeMembers([member], guild: Fixture.guild, observedAt: at)
        try await store.storeMembers([member], guild: Fixture.guild, observedAt: at)
        stats = try await store.stats()
        #expect(stats.members == 1)
        #expect(stats.users == 3)
    }

    // MARK: Reading

    /// Batches come in ascending id order, bounded in size, covering every message once.
    static func streamingOrder(_ store: any ArchiveStore) async throws {
        var all = try Fixture.messages(0..<1050)
        all.shuffle()
        for start in stride(from: 0, to: all.count, by: 100) {
            let page = Array(all[start..<min(start + 100, all.count)])
            try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: page))
        }
        try await store.storeMessagePage(
            MessagePage(
                channelId: Fixture.otherChannel, guildId: nil,
                messages: try Fixture.messages(2000..<2010, channel: Fixture.otherChannel)))
        var streamed: [Snowflake<Message>] = []
        var batches = 0
        for try await batch in store.messageBatches(in: channel, batchSize: 100) {
            #expect(batch.count <= 100)
            #expect(batch.allSatisfy { $0.channelId == channel })
            streamed += batch.map(\.id)
            batches += 1
        }
        let expected = (0..<1050).map(Fixture.messageID)
        #expect(streamed == expected)
        #expect(batches == 11)
        #expect(try await store.messageIDs(in: channel) == expected)

        let resumed = try await store.messages(in: channel, after: expected[1047], limit: 100)
        #expect(resumed.map(\.id) == [expected[1048], expected[1049]])
        let range = try await store.messages(in: channel, ids: expected[10]...expected[19])
        #expect(range.map(\.id) == Array(expected[10...19]))
        #expect(try await store.messages(in: Fixture.otherChannel, ids: expected[0]...expected[1049]).isEmpty)
    }

    /// Full-text search follows edits.
    static func search(_ store: any ArchiveStore) async throws {
        try await store.storeMessagePage(
            MessagePage(
                channelId: channel, guildId: nil,
                messages: [
                    try Fixture.message(1, content: "the quick brown fox"),
                    try Fixture.message(2, content: "a lazy dog sleeps"),
                    try Fixture.message(3, content: "Quick thinking, \"fox\" OR dog"),
                ]))
        #expect(
            try await store.searchMessages("quick fox", in: nil, limit: 10).map(\.id)
                == [Fixture.messageID(3), Fixture.messageID(1)])
        #expect(try await store.searchMessages("dog", in: channel, limit: 10).count == 2)
        #expect(try await store.searchMessages("dog", in: Fixture.otherChannel, limit: 10).isEmpty)
        #expect(try await store.searchMessages("OR", in: nil, limit: 10).count == 1)
        try await store.storeMessagePage(
            MessagePage(
                channelId: channel, guildId: nil,
                messages: [
                    try Fixture.message(2, content: "an energetic cat", edited: "2026-11-20T10:00:00.000000+00:00")
                ]))
        #expect(try await store.searchMessages("lazy", in: nil, limit: 10).isEmpty)
        #expect(try await store.searchMessages("energetic", in: nil, limit: 10).map(\.id) == [Fixture.messageID(2)])
    }

    // MARK: Progress

    /// Checkpoints and segments round-trip; a page's segment commits with it.
    static func checkpointsAndSegments(_ store: any ArchiveStore) async throws {
        let checkpoint = ChannelCheckpoint(
            channelId: channel, guildId: Fixture.guild, backfillComplete: true, oldestArchivedId: Fixture.messageID(0),
            newestArchivedId: Fixture.messageID(9), backfillCursor: nil, lastSyncAt: at,
            lastRecheckAt: at.addingTimeInterval(60), recheckCursor: Fixture.messageID(4))
        try await store.saveCheckpoint(checkpoint)
        try await store.saveCheckpoint(ChannelCheckpoint(channelId: Fixture.otherChannel))
        #expect(try await store.checkpoint(for: channel) == checkpoint)
        #expect(try await store.checkpoints().map(\.channelId) == [channel, Fixture.otherChannel])

        let segments = [
            ChannelSegment(channelId: channel, low: Fixture.messageID(500), high: Fixture.messageID(1000)),
            ChannelSegment(channelId: channel, low: Fixture.messageID(0), high: Fixture.messageID(500)),
        ]
        try await store.saveSegments(segments)
        #expect(try await store.segments(of: channel) == [segments[1], segments[0]])

        let page = try Fixture.messages(500..<600)
        var progressed = segments[0]
        progressed.cursor = page.last?.value.id
        try await store.storeMessagePage(
            MessagePage(channelId: channel, guildId: nil, messages: page, segment: progressed))
        #expect(try await store.segments(of: channel) == [segments[1], progressed])

        var done = segments[1]
        done.done = true
        done.cursor = Fixture.messageID(499)
        let wrong = ChannelSegment(channelId: Fixture.otherChannel, low: done.low, high: done.high, done: true)
        await #expect(throws: ArchiveStoreError.self) {
            try await store.storeMessagePage(
                MessagePage(channelId: channel, guildId: nil, messages: try Fixture.messages(0..<5), segment: wrong))
        }
        #expect(try await store.segments(of: Fixture.otherChannel).isEmpty)
        #expect(try await store.messageIDs(in: channel).count == 100)
    }

    /// The run log keeps starts, issues and ends, newest run first.
    static func runLog(_ store: any ArchiveStore) async throws {
        let first = UUID()
        let second = UUID()
        try await store.startRun(RunRecord(id: first, command: "archive", startedAt: at))
        try await store.recordRunIssue(
            RunIssue(
                kind: .skipped, guildId: Fixture.guild, channelId: channel, reason: "missing VIEW_CHANNEL", at: at),
            run: first)
        try await store.recordRunIssue(
            RunIssue(kind: .failed, guildId: nil, channelId: Fixture.otherChannel, reason: "HTTP 500 x5", at: at),
            run: first)
        try await store.finishRun(first, status: .partial, counts: ["messagesStored": 120, "requests": 7], at: at + 30)
        try await store.startRun(RunRecord(id: second, command: "archive", startedAt: at + 60))

        let runs = try await store.runs(limit: 10)
        #expect(runs.map(\.id) == [second, first])
        #expect(runs[0].status == .running)
        #expect(runs[0].finishedAt == nil)
        #expect(runs[1].status == .partial)
        #expect(runs[1].finishedAt == at + 30)
        #expect(runs[1].counts == ["messagesStored": 120, "requests": 7])
        #expect(runs[1].issues.map(\.kind) == [.skipped, .failed])
        #expect(runs[1].issues[0].reason == "missing VIEW_CHANNEL")
        #expect(runs[1].issues[0].channelId == channel)
        #expect(try await store.runs(limit: 1).count == 1)
        await #expect(throws: ArchiveStoreError.self) {
            try await store.finishRun(UUID(), status: .failed, counts: [:], at: at)
        }
        await #expect(throws: ArchiveStoreError.self) {
            try await store.recordRunIssue(
                RunIssue(kind: .failed, guildId: nil, channelId: nil, reason: "x", at: at), run: UUID())
        }
    }

    // MARK: Media and reactions

    /// Attachments lacking downloads are listed in id order, skipping downloaded and repeatedly failing ones.
    static func mediaQueue(_ store: any ArchiveStore) async throws {
        let messages = try (0..<5).map { try Fixture.message($0, attachments: 2) }
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: messages))
        let ids = messages.flatMap { $0.value.attachments.map(\.id) }
        #expect(try await store.attachmentsLackingDownload(after: nil, maxFailures: 3, limit: 100).map(\.id) == ids)
        try await store.recordDownload(of: ids[0], sha256: "00ff", localPath: "a/b.png", at: at)
        for _ in 0..<3 { try await store.recordDownloadFailure(of: ids[1], reason: "HTTP 404", at: at) }
        try await store.recordDownloadFailure(of: ids[2], reason: "timeout", at: at)
        let pending = try await store.attachmentsLackingDownload(after: nil, maxFailures: 3, limit: 100)
        #expect(pending.map(\.id) == Array(ids[2...]))
        #expect(pending.first?.downloadError == "timeout")
        #expect(pending.first?.failedAttempts == 1)
        #expect(
            try await store.attachmentsLackingDownload(after: ids[5], maxFailures: 3, limit: 2).map(\.id)
                == [ids[6], ids[7]])
        let stats = try await store.stats()
        #expect(stats.attachments == 10)
        #expect(stats.downloadedAttachments == 1)
        let first = try #require(try await store.attachments(of: messages[0].value.id).first)
        #expect(first.filename == "file0.png")
        #expect(first.size == 1000)
        #expect(first.contentType == "image/png")
        #expect(first.localPath == "a/b.png")
        #expect(first.downloadedAt == at)
    }

    /// Reactions per emoji, and reaction users added idempotently.
    static func reactionsAndUsers(_ store: any ArchiveStore) async throws {
        let message = try Fixture.message(1, reactions: 2)
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: nil, messages: [message]))
        let reactions = try await store.reactions(of: message.value.id)
        #expect(reactions.map(\.emojiKey) == ["👍"])
        #expect(reactions.first?.normalCount == 2)
        let users = [try Fixture.user(9002, name: "zed"), try Fixture.user(9001, name: "yan")]
        for _ in 0..<2 {
            try await store.storeReactionUsers(
                users, message: message.value.id, emojiKey: "👍", burst: false,
                observedAt: at)
        }
        #expect(try await store.reactionUserIDs(of: message.value.id, emojiKey: "👍", burst: false) == ["9001", "9002"])
        #expect(try await store.reactionUserIDs(of: message.value.id, emojiKey: "👍", burst: true).isEmpty)
        let stats = try await store.stats()
        #expect(stats.reactions == 1)
        #expect(stats.users == 3)
    }
}
