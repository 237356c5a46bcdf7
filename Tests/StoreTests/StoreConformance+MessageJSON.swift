import ArchiveStore
import DiscordModels
import Foundation
import Testing

extension StoreConformance {
    // MARK: The export's narrow read

    /// ``MessageStore/messageJSON(in:after:limit:)`` is ``MessageStore/messages(in:after:limit:)`` trimmed to what an
    /// export renders (the JSON byte for byte, the edit time, the tombstone), batch for batch.
    static func messageJSONRows(_ store: any ArchiveStore) async throws {
        var messages = try Fixture.messages(0..<7)
        messages[3] = try Fixture.message(3, content: "changed", edited: "2025-01-02T03:04:05.678000+00:00")
        try await store.storeMessagePage(MessagePage(channelId: channel, guildId: Fixture.guild, messages: messages))
        let recheck = ChannelCheckpoint(channelId: channel, lastRecheckAt: at)
        _ = try await store.markMessagesDeleted([messages[5].value.id], in: channel, at: at, checkpoint: recheck)
        var after: Snowflake<Message>?
        var seen = 0
        while true {
            let whole = try await store.messages(in: channel, after: after, limit: 3)
            let narrow = try await store.messageJSON(in: channel, after: after, limit: 3)
            #expect(narrow == whole.map(MessageJSONRow.init))
            seen += narrow.count
            guard let last = narrow.last, narrow.count == 3 else { break }
            after = last.id
        }
        #expect(seen == 7)
        let rows = try await store.messageJSON(in: channel, after: nil, limit: 10)
        #expect(rows.map(\.isDeleted) == [false, false, false, false, false, true, false])
        #expect(rows[3].editedTimestamp?.rawValue == "2025-01-02T03:04:05.678000+00:00")
        #expect(rows[0].json == messages[0].json)
        #expect(try await store.messageJSON(in: Fixture.otherChannel, after: nil, limit: 10).isEmpty)
    }
}
