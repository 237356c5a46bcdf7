import ArchiveStore
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import ObjectStore
import SQLiteStore
import TestSupport
import Testing

/// What the store does with the wrong inputs and damaged channels a survey through the binary found mishandled.
@Suite struct StoreBadInputTests {
    /// A `put` repeated after a crash (instead of `resume`) finishes the interrupted upload: before, it posted every
    /// chunk again as a new object and left the first one incomplete, its chunks orphaned in the channel.
    @Test func putRepeatedAfterACrashFinishesTheInterruptedUpload() async throws {
        try await Self.withEngine { sim, client, catalogue, engine, channel, folder in
            let data = ObjectStoreTests.bytes(9500, seed: 23)  // 10 chunks, 4 messages of ≤ 3
            let interrupted = try await ObjectStoreTests.interruptedPut(
                data, named: "again.bin", client: client, catalogue: catalogue, channel: channel, folder: folder)
            let source = folder + "/again.bin"
            // A new process (`engine`, not the one that crashed): the same command again.
            let entry = try await engine.put(path: source, channel: channel)
            #expect(entry.objectId == interrupted.objectId)
            #expect(entry.state == .complete)
            #expect(try await catalogue.catalogueObjects().map(\.objectId) == [interrupted.objectId])
            let posted = try await ObjectStoreTests.chunkAttachmentCount(
                client, channel: channel, objectId: entry.objectId)
            #expect(posted == 10)
            let got = try await engine.get(entry, into: folder + "/out")
            #expect(FileManager.default.contents(atPath: got) == data)
            // The same file put twice in one command is two objects (the engine never takes over its own upload).
            let twice = try await engine.put(path: source, channel: channel)
            #expect(twice.objectId != entry.objectId)
        }
    }

    /// A file written to while it is put: a plain chunk is read from the file as its message is sent, after the
    /// hashes were read, so before this `put` finished "complete" with a chunk whose bytes did not match its hash
    /// (`verify`: DAMAGED). Now the put stops naming the file, the object stays incomplete and cannot be resumed, and
    /// the same put again makes a new, whole object.
    @Test func fileWrittenDuringThePutIsRefused() async throws {
        try await Self.withEngine { sim, client, catalogue, engine, channel, folder in
            let source = try ObjectStoreTests.write(ObjectStoreTests.bytes(9500, seed: 29), named: "w.bin", in: folder)
            await sim.holdUploads(after: 0)
            let put = Task { try await engine.put(path: source, channel: channel) }
            await sim.waitUntilUploadsHeld(1)
            // The last chunk (message 4, not sent yet) changes under the upload.
            let handle = try #require(FileHandle(forWritingAtPath: source))
            try handle.seek(toOffset: 9200)
            try handle.write(contentsOf: ObjectStoreTests.bytes(100, seed: 30))
            try handle.close()
            await sim.releaseUploads(drop: false)
            let error = await #expect(throws: ObjectStoreError.self) { _ = try await put.value }
            #expect(error?.message.contains("w.bin was written to while it was being put") == true, "\(error!)")
            let left = try #require(try await catalogue.catalogueObjects().first)
            #expect(left.state == .uploading)
            let resumed = await #expect(throws: ObjectStoreError.self) { _ = try await engine.resume(left) }
            #expect(resumed?.message.contains("cannot be resumed") == true, "\(resumed!)")
            let again = try await ObjectStoreEngine(
                client: client, catalogue: catalogue, limits: ObjectStoreTests.small
            )
            .put(path: source, channel: channel)
            #expect(again.objectId != left.objectId)
            try await engine.verify(again)
        }
    }

    /// A put Discord refuses before any chunk is posted (here an unknown channel) leaves no incomplete entry, which
    /// `resume` could never finish and which stopped every later `resume` at it.
    @Test func putRefusedBeforeAnyPostLeavesNoEntry() async throws {
        try await Self.withEngine { _, _, catalogue, engine, _, folder in
            let source = try ObjectStoreTests.write(ObjectStoreTests.bytes(2500, seed: 3), named: "r.bin", in: folder)
            await #expect(throws: DiscordRESTError.self) {
                _ = try await engine.put(path: source, channel: Snowflake(1))
            }
            #expect(try await catalogue.catalogueObjects().isEmpty)
        }
    }

    /// A chunk whose message was deleted is named (object, chunk, message, channel) with what to do; before, the
    /// REST client's "Unknown Message … check the id" came out, and `verify` stopped at the first such object.
    @Test func deletedChunkMessageIsNamedAsTheObjectsChunk() async throws {
        try await Self.withEngine { sim, client, catalogue, engine, channel, folder in
            let source = try ObjectStoreTests.write(ObjectStoreTests.bytes(5500, seed: 5), named: "d.bin", in: folder)
            let entry = try await engine.put(path: source, channel: channel)
            let manifest = try #require(ObjectManifest.decode(Data(entry.manifestJSON.utf8)))
            let lost = try #require(manifest.chunks[4].messageId.flatMap(UInt64.init))
            try await client.deleteMessage(Snowflake(lost), in: channel)
            // A fresh engine: no URL of the deleted message remembered from the upload.
            let reader = ObjectStoreEngine(client: client, catalogue: catalogue, limits: ObjectStoreTests.small)
            for attempt in ["verify", "get"] {
                let error = await #expect(throws: ObjectStoreError.self) {
                    if attempt == "verify" {
                        try await reader.verify(entry)
                    } else {
                        _ = try await reader.get(entry, into: folder + "/out")
                    }
                }
                let message = error?.message ?? ""
                #expect(message.contains("\(entry.archiveId) (d.bin) chunk 3"), "\(attempt): \(message)")
                #expect(message.contains("its message \(lost) was deleted"), "\(attempt): \(message)")
                #expect(message.contains("`skald store rm`"), "\(attempt): \(message)")
            }
            #expect(!FileManager.default.fileExists(atPath: folder + "/out/d.bin"))
        }
    }

    /// A deleted manifest message is found by `verify` (before: "ok", and `recover` from the channel then lost the
    /// object without a word); `get` still works from the catalogue.
    @Test func deletedManifestMessageIsFoundByVerify() async throws {
        try await Self.withEngine { sim, client, catalogue, engine, channel, folder in
            let data = ObjectStoreTests.bytes(1200, seed: 9)
            let entry = try await engine.put(
                path: try ObjectStoreTests.write(data, named: "m.bin", in: folder), channel: channel)
            try await engine.verify(entry)
            let manifestMessage = try #require(entry.manifestMessageId.flatMap(UInt64.init))
            try await client.deleteMessage(Snowflake(manifestMessage), in: channel)
            let error = await #expect(throws: ObjectStoreError.self) { try await engine.verify(entry) }
            #expect(error?.message.contains("its manifest message \(manifestMessage)") == true, "\(error!)")
            #expect(error?.message.contains("was deleted: every chunk is whole") == true, "\(error!)")
            let got = try await engine.get(entry, into: folder + "/out")
            #expect(FileManager.default.contents(atPath: got) == data)
        }
    }

    /// `--range` of an empty object says so instead of "must lie within 0--1"; a name in the catalogue only as a
    /// tombstone says it was removed.
    @Test func emptyRangeAndRemovedObjectsAreNamed() async throws {
        try await Self.withEngine { sim, client, catalogue, engine, channel, folder in
            let source = try ObjectStoreTests.write(Data(), named: "e.bin", in: folder)
            let entry = try await engine.put(path: source, channel: channel)
            let empty = await #expect(throws: ObjectStoreError.self) {
                _ = try await engine.get(entry, into: folder + "/out", range: 0...0)
            }
            #expect(empty?.message.contains("is empty (0 bytes)") == true, "\(empty?.message ?? "")")
            _ = try await engine.remove(entry)
            let entries = try await catalogue.catalogueObjects()
            for key in ["e.bin", entry.archiveId, entry.objectId] {
                let removed = await #expect(throws: ObjectStoreError.self) {
                    _ = try CatalogueSelection.find(key, in: entries, listing: "`skald store ls`")
                }
                #expect(removed?.message.contains("\(entry.archiveId) (e.bin) was removed") == true, "\(key)")
            }
        }
    }

    /// A name names the newest complete object of that name before an incomplete newer one, in the channel as on
    /// the command line (the channel's own lookup took the newest, and answered "not completely uploaded").
    @Test func aNamePrefersTheCompleteObject() throws {
        let date = Date(timeIntervalSince1970: 1_790_000_000)
        func entry(_ id: String, _ state: CatalogueObject.State) -> CatalogueObject {
            CatalogueObject(
                objectId: id, archiveId: "#281126-" + id, name: "same.bin", channelId: "1", size: 1, state: state,
                sourcePath: nil, manifestJSON: "{}", manifestMessageId: nil, createdAt: date)
        }
        let entries = [entry("01", .complete), entry("02", .uploading)]
        #expect(try CatalogueSelection.find("same.bin", in: entries, listing: "`!ls`").objectId == "01")
        #expect(try CatalogueSelection.find("#281126-02", in: entries, listing: "`!ls`").objectId == "02")
    }

    /// The channel's answers: each key of `!download` and each upload of `!resume` on its own line (one failure hid
    /// the files already written), a key without the bot's passphrase says who must act, `!history abc` its usage.
    @Test func channelAnswersNameEachKey() async throws {
        try await Self.withEngine { sim, client, catalogue, engine, channel, folder in
            let plain = try await engine.put(
                path: try ObjectStoreTests.write(ObjectStoreTests.bytes(1500, seed: 7), named: "p.bin", in: folder),
                channel: channel)
            let sealed = try await engine.put(
                path: try ObjectStoreTests.write(ObjectStoreTests.bytes(900, seed: 8), named: "s.bin", in: folder),
                channel: channel, passphrase: "pass", scryptCostLog2: 10)
            let bot = StoreCommandBot(
                engine: engine, token: sim.tokens[0], channel: channel, outFolder: folder + "/downloads")
            let answer = await bot.answer(.download(["nothing", plain.archiveId, "s.bin"]))
            let lines = answer.split(separator: "\n").map(String.init)
            #expect(lines.count == 3, "\(answer)")
            #expect(lines[0].contains("no stored object is called nothing"), "\(answer)")
            #expect(lines[1].contains("\(plain.archiveId)  p.bin  →"), "\(answer)")
            #expect(lines[2].contains("\(sealed.archiveId) (s.bin) is encrypted and this bot runs without its key"))
            #expect(!lines[2].contains("pass --passphrase-env"), "\(answer)")
            #expect(FileManager.default.fileExists(atPath: folder + "/downloads/p.bin"))
            #expect(StoreBotCommand.parse("!history abc") == .history(nil))
            #expect(StoreBotCommand.parse("!history 0") == .history(nil))
            #expect(StoreBotCommand.parse("!history 80") == .history(50))
            #expect(await bot.answer(.history(nil)).hasPrefix("usage: !history"))
        }
    }

    /// `serve-commands` refuses a channel where no command could ever be answered (before: "ready", then silence):
    /// an unknown id, a channel the bot cannot read, a category.
    @Test func channelCommandsRefuseAChannelNoOneCanBeAnsweredIn() async throws {
        var configuration = ObjectStoreTests.configuration()
        configuration.channelsPerGuild = 6  // enough for one the bot cannot see
        try await SimulatorServer.withClient(configuration) { sim, client in
            let engine = ObjectStoreEngine(client: client, catalogue: try SQLiteArchiveStore.inMemory())
            func refusal(_ channel: Snowflake<DiscordModels.Channel>) async -> String {
                let bot = StoreCommandBot(engine: engine, token: sim.tokens[0], channel: channel, outFolder: "unused")
                let error = await #expect(throws: ObjectStoreError.self) { try await bot.checkChannel() }
                return error?.message ?? ""
            }
            #expect(await refusal(Snowflake(1)).contains("channel 1 is unknown to this bot"))
            var hidden: Snowflake<DiscordModels.Channel>?
            var category: Snowflake<DiscordModels.Channel>?
            for id in sim.channelIDs(guild: sim.guildIDs[0]) {
                guard let truth = await sim.truthChannel(id) else { continue }
                if truth.type == .guildCategory { category = id }
                if !truth.readable, truth.type == .guildText { hidden = id }
            }
            let unseen = try #require(hidden, "the world has a text channel the bot cannot read")
            #expect(await refusal(unseen).contains("the bot cannot read channel \(unseen)"))
            let folder = try #require(category, "the world has a category")
            #expect(await refusal(folder).contains("is a category, where no one types commands"))
            let bot = StoreCommandBot(
                engine: engine, token: sim.tokens[0], channel: try await ObjectStoreTests.channel(sim), outFolder: "x")
            try await bot.checkChannel()
        }
    }

    /// An answer mentions nobody (an object's name or a typed key may hold `@everyone` or `<@id>`, which the answer
    /// repeats) and a long one is cut at a line, saying how many were left out (before: cut mid-line at 1,900
    /// characters, silently).
    @Test func answersMentionNobodyAndAreCutAtALine() throws {
        let short = StoreCommandBot.reply("error: no stored object is called <@123> @everyone: see `!ls`")
        #expect(short.allowedMentions == AllowedMentions.none)
        #expect(short.content == "error: no stored object is called <@123> @everyone: see `!ls`")
        let lines = (1...200).map { "#281126-\(String(format: "%02d", $0))  complete  1000 bytes  file-\($0).bin" }
        let long = try #require(StoreCommandBot.reply(lines.joined(separator: "\n")).content)
        #expect(long.count <= StoreCommandBot.answerLimit)
        let kept = long.split(separator: "\n").dropLast()
        #expect(kept.allSatisfy { lines.contains(String($0)) })
        #expect(long.hasSuffix("… and \(200 - kept.count) more lines (`skald store ls` lists them all)"))
    }

    // MARK: support

    /// Runs `body` with a simulator, its client, an in-memory catalogue, an engine over both with small chunks, a
    /// text channel the bot may post in, and a temporary folder (removed afterwards).
    static func withEngine(
        _ body: (
            SimulatorServer, DiscordClient, any ObjectCatalogue, ObjectStoreEngine, Snowflake<DiscordModels.Channel>,
            String
        ) async throws -> Void
    ) async throws {
        try await SimulatorServer.withClient(ObjectStoreTests.configuration()) { sim, client in
            let folder = try ObjectStoreTests.folder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let catalogue = try SQLiteArchiveStore.inMemory()
            let engine = ObjectStoreEngine(client: client, catalogue: catalogue, limits: ObjectStoreTests.small)
            try await body(sim, client, catalogue, engine, try await ObjectStoreTests.channel(sim), folder)
        }
    }
}
