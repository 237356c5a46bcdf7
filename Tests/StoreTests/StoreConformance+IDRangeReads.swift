import ArchiveStore
import DiscordModels
import Foundation
import Testing

extension StoreConformance {
    // MARK: Paged reads by id across 2^63 (``IDRangeRead``)

    /// Every paged or whole-range read by id returns Discord's (unsigned) order across 2^63, the ids at or above it
    /// (negative columns) after those below (before them newest first), and a limit that falls across the two column
    /// ranges takes from the first range, then what is left of the second.
    static func idRangeReads(_ store: any ArchiveStore) async throws {
        let twoTo63 = UInt64(1) << 63
        let ids: [Snowflake<Message>] = [twoTo63 - 2000, twoTo63 - 1000, twoTo63, twoTo63 + 1000].map { Snowflake($0) }
        let page = try ids.map { try acrossMessage($0) }
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: Fixture.guild, messages: page))
        let newestFirst = Array(ids.reversed())

        #expect(try await store.messageIDs(in: channel) == ids)
        #expect(try await store.messages(in: channel, after: nil, limit: 3).map(\.id) == Array(ids[0...2]))
        #expect(try await store.messages(in: channel, after: ids[1], limit: 10).map(\.id) == Array(ids[2...]))
        #expect(try await store.messages(in: channel, ids: ids[1]...ids[2]).map(\.id) == Array(ids[1...2]))
        #expect(try await store.messageJSON(in: channel, after: ids[0], limit: 2).map(\.id) == Array(ids[1...2]))
        let older = try await store.messages(in: channel, before: nil, limit: 3, includeDeleted: false)
        #expect(older.map(\.id) == Array(newestFirst[0...2]))
        let olderThanHigh = try await store.messages(in: channel, before: ids[3], limit: 2, includeDeleted: false)
        #expect(olderThanHigh.map(\.id) == [ids[2], ids[1]])
        let newer = try await store.messages(in: channel, after: ids[0], limit: 2, includeDeleted: false)
        #expect(newer.map(\.id) == Array(ids[1...2]))
        #expect(try await store.search(MessageSearch(), before: nil, limit: 3).map(\.id) == Array(newestFirst[0...2]))
        let attachments = try await store.attachmentsLackingDownload(after: nil, maxFailures: 3, limit: 3)
        #expect(attachments.map(\.id.rawValue) == ids[0...2].map(\.rawValue))

        let mirror = try #require(store as? any MirrorStore, "the backend does not conform to MirrorStore")
        for (index, id) in ids.enumerated().reversed() {
            try await mirror.recordMirrorMapping(
                MirrorMapping(target: "t", kind: "message", sourceId: id.rawValue, targetId: UInt64(index + 1)))
        }
        let mapped = try await mirror.mirrorMappings(
            target: "t", kind: "message", sourceIds: ids[1].rawValue...UInt64.max)
        #expect(mapped.map(\.sourceId) == ids[1...].map(\.rawValue))
    }

    /// A message with id `id` and one attachment of the same number, in the conformance channel.
    private static func acrossMessage(_ id: Snowflake<Message>) throws -> Decoded<Message> {
        try Fixture.decode(
            """
            {"type":0,"content":"across \(id)","mentions":[],"mention_roles":[],"attachments":[{"id":"\(id)",\
            "filename":"f.png","size":1,"url":"https://cdn.discordapp.com/attachments/\(channel)/\(id)/f.png",\
            "proxy_url":"https://media.discordapp.net/attachments/\(channel)/\(id)/f.png","content_type":"image/png"}],\
            "embeds":[],"timestamp":"\(Fixture.timestamp(id))","edited_timestamp":null,"flags":0,"components":[],\
            "id":"\(id)","channel_id":"\(channel)","author":\(Fixture.userJSON(5001, name: "alice")),"pinned":false,\
            "mention_everyone":false,"tts":false}
            """)
    }
}
