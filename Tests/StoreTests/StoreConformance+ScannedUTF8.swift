import ArchiveStore
import DiscordModels
import Foundation
import Testing

extension StoreConformance {
    // MARK: UTF-8 proven by the page scanner

    /// A REST page (bytes scanned by `IndexedMessage.page`, as the client does) whose last message holds a byte that
    /// is not UTF-8 — inside a string, inside a key, outside any string (a skipped scalar) — stores nothing: not a
    /// message, not the checkpoint; the same page without that byte stores whole.
    static func scannedPageWithInvalidUTF8StoresNothing(_ store: any ArchiveStore) async throws {
        let good = (0..<5).map { Fixture.messageJSON($0) }
        let id = Fixture.messageID(5)
        let head = #"{"id":"\#(id)","channel_id":"\#(channel)","timestamp":"\#(Fixture.timestamp(id))""#
        let places: [(before: String, after: String)] = [
            (head + #","content":"bad "#, #" byte"}"#),
            (head + #","ke"#, #"y":1}"#),
            (head + #","nonce":12"#, "3}"),
        ]
        let checkpoint = ChannelCheckpoint(channelId: channel, newestArchivedId: id)
        for place in places {
            let prefix = "[" + good.joined(separator: ",") + "," + place.before
            let suffix = place.after + "]"
            let body: [UInt8] = Array(prefix.utf8) + [0xC3, 0x28] + Array(suffix.utf8)
            let messages = try IndexedMessage.page(Data(body))
            #expect(messages.count == 6)
            let error = await #expect(throws: ArchiveStoreError.self) {
                try await store.storeMessagePage(
                    MessagePage(channelId: channel, guildId: nil, messages: messages, checkpoint: checkpoint))
            }
            #expect(error?.isInvalidJSON == true)
            #expect(try await store.messageIDs(in: channel).isEmpty)
            #expect(try await store.checkpoint(for: channel) == nil)
        }
        let fixedText = "[" + good.joined(separator: ",") + "," + places[0].before + "é" + places[0].after + "]"
        let fixed = Data(fixedText.utf8)
        let messages = try IndexedMessage.page(fixed)
        let result = try await store.storeMessagePage(
            MessagePage(channelId: channel, guildId: nil, messages: messages, checkpoint: checkpoint))
        #expect(result.inserted == 6)
        #expect(try await store.checkpoint(for: channel) == checkpoint)
    }
}
