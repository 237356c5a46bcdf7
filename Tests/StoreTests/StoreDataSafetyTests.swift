import ArchiveStore
import DiscordModels
import Foundation
import Testing

/// Store behaviour the data-safety issue relies on, on every backend: a failed download recorded after another
/// process downloaded the file leaves no stale error, and `stats` counts messages known only from imports.
@Suite struct StoreDataSafetyTests {
    static let at = Date(timeIntervalSince1970: 1_700_000_000)

    @Test(arguments: StoreBackend.all) func aLateFailureLeavesNoStaleErrorBesideADownload(_ backend: StoreBackend)
        async throws
    {
        try await backend.withStore { store in
            let message = try Fixture.message(0, attachments: 1)
            try await store.storeMessagePage(MessagePage(channelId: Fixture.channel, guildId: nil, messages: [message]))
            let id = try #require(message.value.attachments.first?.id)
            try await store.recordDownload(of: id, sha256: "00ff", localPath: "00/00ff.png", at: Self.at)
            // Another process's attempt at the same attachment failed ("File exists") after this one succeeded.
            try await store.recordDownloadFailure(of: id, reason: "File exists", at: Self.at)
            let stored = try #require(try await store.attachments(of: message.value.id).first)
            #expect(stored.localPath == "00/00ff.png")
            #expect(stored.downloadError == nil)
            #expect(stored.failedAttempts == 0)
        }
    }

    @Test(arguments: StoreBackend.all) func statsCountMessagesKnownOnlyFromImports(_ backend: StoreBackend)
        async throws
    {
        try await backend.withStore { store in
            let archived = try Fixture.message(0)
            try await store.storeMessagePage(
                MessagePage(channelId: Fixture.channel, guildId: nil, messages: [archived]))
            let stage = UUID()
            let imported = [archived.value.id, Fixture.messageID(1), Fixture.messageID(2)].map { id in
                ImportedMessage(
                    id: id, channelId: Fixture.channel, guildId: nil, timestamp: nil,
                    json: Data(#"{"id":"\#(id)"}"#.utf8))
            }
            try await store.stageImportedMessages(imported, stage: stage)
            _ = try await store.commitImport(
                stage: stage,
                channel: ImportedChannel(
                    channelId: Fixture.channel, guildId: nil, guildJSON: Data("null".utf8),
                    channelJSON: Data(#"{"id":"\#(Fixture.channel)"}"#.utf8), source: "test.json", importedAt: Self.at))
            let stats = try await store.stats()
            #expect(stats.importedOnlyMessages == 2)
            #expect(stats.messages == 3)
            #expect(stats.liveMessages == 3)
        }
    }
}
