import ArchiveStore
import DiscordModels
import Foundation
import Testing

@testable import Serve

/// The viewer's channel log reads a page's members, users and reaction users ahead; the HTML is the same as when
/// each is looked up as the renderer meets it, including who had their member data looked up before a reaction
/// names them (DCE's order).
@Suite struct ChannelLogTests {
    @Test func readingAheadChangesNothing() async throws {
        try await TemporaryArchive.with { path in
            let store = try await ServeFixture.makeArchive(at: path, count: 40)
            let channel = ServeFixture.channel
            // Members with nicknames; 5004 reacts to message 300 before authoring message 301.
            for (id, nick) in [(5001, "Ace"), (5004, "Quad")] {
                let member: Decoded<GuildMember> = try ServeFixture.decode(
                    #"{"user":\#(ServeFixture.userJSON(UInt64(id), name: "user\(id)")),"nick":"\#(nick)","roles":[],"joined_at":"2025-01-01T00:00:00.000000+00:00","deaf":false,"mute":false,"flags":0}"#
                )
                try await store.storeMembers([member], guild: ServeFixture.guild, observedAt: Date())
            }
            let reactions = #","reactions":[{"emoji":{"id":null,"name":"👍"},"count":2,"me":false}]"#
            let mention = #","mentions":[\#(ServeFixture.userJSON(5001, name: "user5001"))]"#
            let pages = [
                ServeFixture.messageJSON(300, content: "hello", author: 5002, extra: reactions),
                ServeFixture.messageJSON(301, content: "<@5001> there", author: 5004, extra: mention),
                ServeFixture.messageJSON(302, content: "again", author: 5001, extra: reactions),
            ]
            _ = try await store.storeMessagePage(
                MessagePage(
                    channelId: channel, guildId: ServeFixture.guild, messages: try pages.map(ServeFixture.decode)))
            for index in [300, 302] {
                try await store.storeReactionUsers(
                    [
                        try ServeFixture.decode(ServeFixture.userJSON(5004, name: "user5004")),
                        try ServeFixture.decode(ServeFixture.userJSON(5001, name: "user5001")),
                    ],
                    message: ServeFixture.messageID(index), in: channel, emojiKey: "👍", burst: false,
                    observedAt: Date())
            }
            let channels = try await store.channels(in: ServeFixture.guild)
            let record = try #require(channels.first { $0.id.rawValue == channel.rawValue })
            let messages = Array(
                try await store.messages(in: channel, before: nil, limit: 50, includeDeleted: true).reversed())
            func html(readAhead: Bool) async throws -> String {
                let log = try await ChannelLog.make(for: record, among: channels, store: store, mediaPrefix: nil)
                return try await log.html(messages, readAhead: readAhead)
            }
            let ahead = try await html(readAhead: true)
            let oneByOne = try await html(readAhead: false)
            #expect(ahead == oneByOne)
            // 5004's member data is not looked up yet when message 300 is rendered, and is by message 302.
            #expect(ahead.contains(#"title=":thumbsup: Ace, User5004""#))
            #expect(ahead.contains(#"title=":thumbsup: Ace, Quad""#))
        }
    }
}
