import ArchiveStore
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import ObjectStore
import SQLiteStore
import TestSupport
import Testing

/// An object whose chunk messages take turns over several channels: each chunk names its channel, get, verify,
/// resume and rm find them there, and the first channel alone recovers the object.
@Suite struct SpreadUploadTests {
    @Test func chunksTakeTurnsOverTheChannelsAndTheFirstChannelRecoversThem() async throws {
        var config = ObjectStoreTests.configuration()
        config.channelsPerGuild = 4
        try await SimulatorServer.withClient(config) { sim, client in
            let folder = try ObjectStoreTests.folder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var channels: [Snowflake<Channel>] = []
            for id in sim.messageChannelIDs(guild: sim.guildIDs[0]) {
                if let truth = await sim.truthChannel(id), truth.readable, truth.type == .guildText {
                    channels.append(id)
                }
            }
            try #require(channels.count >= 2)
            channels = Array(channels.prefix(2))
            let catalogue = try SQLiteArchiveStore.inMemory()
            // 3 chunks per message, 8 chunks: messages 0–2, 3–5, 6–7 go to channels 0, 1, 0.
            let engine = ObjectStoreEngine(client: client, catalogue: catalogue, limits: ObjectStoreTests.small)
            let data = ObjectStoreTests.bytes(7500, seed: 41)
            let source = try ObjectStoreTests.write(data, named: "spread.bin", in: folder)
            let entry = try await engine.put(path: source, channels: channels, passphrase: "pw", scryptCostLog2: 10)
            #expect(entry.channelId == channels[0].description)
            let manifest = try #require(ObjectManifest.decode(Data(entry.manifestJSON.utf8)))
            #expect(manifest.version == 2)
            let expected = [0, 0, 0, 1, 1, 1, 0, 0].map { channels[$0].description }
            #expect(manifest.chunks.map(\.channelId) == expected)
            for (index, channel) in channels.enumerated() {
                let count = try await ObjectStoreTests.chunkAttachmentCount(
                    client, channel: channel, objectId: manifest.objectId)
                #expect(count == (index == 0 ? 5 : 3))
            }
            let got = try await engine.get(entry, into: folder + "/out", passphrase: "pw")
            #expect(FileManager.default.contents(atPath: got) == data)
            try await engine.verify(entry, passphrase: "pw")

            // The first channel alone: a fresh catalogue recovers the object, and it downloads from both channels.
            let fresh = try SQLiteArchiveStore.inMemory()
            let recovering = ObjectStoreEngine(client: client, catalogue: fresh, limits: ObjectStoreTests.small)
            #expect(try await recovering.recover(channel: channels[0], passphrase: "pw").count == 1)
            let recovered = try #require(try await fresh.catalogueObjects().first)
            let again = try await recovering.get(recovered, into: folder + "/again", passphrase: "pw")
            #expect(FileManager.default.contents(atPath: again) == data)

            // rm deletes the chunk messages where they are.
            _ = try await engine.remove(entry)
            for channel in channels {
                let count = try await ObjectStoreTests.chunkAttachmentCount(
                    client, channel: channel, objectId: manifest.objectId)
                #expect(count == 0)
            }
        }
    }
}
