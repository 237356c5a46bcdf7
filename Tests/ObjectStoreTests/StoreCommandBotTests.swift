import AsyncHTTPClient
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import ObjectStore
import SQLiteStore
import TestSupport
import Testing

/// The store's channel commands: parsing, and the bot against the simulator's gateway (a message typed in the
/// channel through `/__sim/mutate`, the bot's answer posted back).
@Suite struct StoreCommandBotTests {
    @Test func parsesTheEarlierBotsCommands() {
        #expect(StoreBotCommand.parse("!download #261126-01 #261126-02") == .download(["#261126-01", "#261126-02"]))
        #expect(
            StoreBotCommand.parse(#"!download "holiday photos/IMG 001.jpg" #261126-02 “a b”"#)
                == .download(["holiday photos/IMG 001.jpg", "#261126-02", "a b"]))
        #expect(StoreBotCommand.parse(#"!verify """#) == .verify(""))
        #expect(StoreBotCommand.parse("!history") == .history(5))
        #expect(StoreBotCommand.parse("!history 3") == .history(3))
        #expect(StoreBotCommand.parse("!verify") == .verify(nil))
        #expect(StoreBotCommand.parse("!resume #261126-04") == .resume("#261126-04"))
        #expect(StoreBotCommand.parse("  !LS ") == .list)
        #expect(StoreBotCommand.parse("!upload") == .upload)
        #expect(StoreBotCommand.parse("!frobnicate") == .unknown("!frobnicate"))
        #expect(StoreBotCommand.parse("hello !ls") == nil)
        #expect(StoreBotCommand.parse("!") == nil)
    }

    /// Starts `bot`; returns its task and the answers it posts, once its gateway session is ready.
    static func start(_ bot: StoreCommandBot) async -> (Task<Void, any Error>, AsyncStream<String?>.AsyncIterator) {
        var bot = bot
        let (answers, answered) = AsyncStream.makeStream(of: String?.self)
        bot.onAnswer = { answered.yield($0) }
        let running = bot
        let task = Task { try await running.run() }
        var next = answers.makeAsyncIterator()
        #expect(await next.next() == .some(nil))  // the session is ready
        return (task, next)
    }

    @Test func answersCommandsTypedInTheChannel() async throws {
        try await SimulatorServer.withClient(ObjectStoreTests.configuration()) { sim, client in
            let folder = try ObjectStoreTests.folder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let channel = try await ObjectStoreTests.channel(sim)
            let catalogue = try SQLiteArchiveStore.inMemory()
            let engine = ObjectStoreEngine(client: client, catalogue: catalogue, limits: ObjectStoreTests.small)
            let data = ObjectStoreTests.bytes(2500, seed: 31)
            let entry = try await engine.put(
                path: try ObjectStoreTests.write(data, named: "kept.bin", in: folder), channel: channel)
            let running = StoreCommandBot(
                engine: engine, token: sim.tokens[0], channel: channel, outFolder: folder + "/downloads")
            let (task, answers) = await Self.start(running)
            var next = answers

            func ask(_ text: String) async throws -> String {
                try await ObjectStoreTests.mutate(
                    sim, ["op": "create", "channelId": channel.description, "content": text])
                return try #require(await next.next() ?? nil)
            }
            #expect(try await ask("!ls").contains("\(entry.archiveId)  complete  2500 bytes  kept.bin"))
            #expect(try await ask("!status").contains("objects: 1 complete (2500 bytes)"))
            #expect(try await ask("!history").contains(entry.archiveId))
            #expect(try await ask("!verify").contains("ok  \(entry.archiveId)  kept.bin"))
            #expect(try await ask("!download \(entry.archiveId)").contains("kept.bin"))
            #expect(FileManager.default.contents(atPath: folder + "/downloads/kept.bin") == data)
            #expect(try await ask("!download nothing").contains("no stored object is called nothing"))
            #expect(try await ask("!help").contains("!download #ARCHIVE"))
            #expect(try await ask("!upload").contains("attach the files"))
            // The answers are in the channel, posted by the bot.
            let latest = try await client.messagePage(in: channel, limit: 1)
            #expect(latest.first?.value.content.contains("attach the files") == true)
            // `!upload` typed by a user with two files attached (the simulator's mutation stores them like uploads,
            // served from its CDN): over the gateway, each attachment becomes an object.
            let carried = ObjectStoreTests.bytes(1800, seed: 32)
            let second = ObjectStoreTests.bytes(3100, seed: 33)
            try await ObjectStoreTests.mutate(
                sim,
                [
                    "op": "create", "channelId": channel.description, "content": "!upload",
                    "attachments": [
                        [
                            "filename": "photo.jpg", "contentType": "image/jpeg",
                            "base64": carried.base64EncodedString(),
                        ],
                        ["filename": "notes.txt", "base64": second.base64EncodedString()],
                    ],
                ] as [String: Any])
            let uploaded = try #require(await next.next() ?? nil)
            #expect(uploaded.contains("photo.jpg  1800 bytes"), "\(uploaded)")
            #expect(uploaded.contains("notes.txt  3100 bytes"), "\(uploaded)")
            let objects = try await catalogue.catalogueObjects()
            let photo = try #require(objects.first { $0.name == "photo.jpg" })
            let notes = try #require(objects.first { $0.name == "notes.txt" })
            #expect(photo.state == .complete && notes.state == .complete)
            let back = try await engine.get(photo, into: folder + "/back")
            #expect(FileManager.default.contents(atPath: back) == carried)
            let backNotes = try await engine.get(notes, into: folder + "/back")
            #expect(FileManager.default.contents(atPath: backNotes) == second)
            running.stop()
            try await task.value
        }
    }

    /// `!upload` without attachments puts the upload folder's files, named by their path there; asked again, it
    /// skips those already stored with the same bytes and puts only what is new or changed.
    @Test func uploadWithoutAttachmentsPutsTheUploadFolder() async throws {
        try await SimulatorServer.withClient(ObjectStoreTests.configuration()) { sim, client in
            let folder = try ObjectStoreTests.folder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let channel = try await ObjectStoreTests.channel(sim)
            let catalogue = try SQLiteArchiveStore.inMemory()
            let engine = ObjectStoreEngine(client: client, catalogue: catalogue, limits: ObjectStoreTests.small)
            let uploads = folder + "/uploads"
            let bot = StoreCommandBot(
                engine: engine, token: sim.tokens[0], channel: channel, outFolder: folder + "/downloads",
                uploadFolder: uploads)
            #expect(await bot.answer(.upload).contains("does not exist"))
            try FileManager.default.createDirectory(atPath: uploads + "/trip", withIntermediateDirectories: true)
            #expect(await bot.answer(.upload).contains("is empty"))
            let a = ObjectStoreTests.bytes(2200, seed: 51)
            let b = ObjectStoreTests.bytes(700, seed: 52)
            _ = try ObjectStoreTests.write(a, named: "a.bin", in: uploads)
            _ = try ObjectStoreTests.write(b, named: "trip/b.bin", in: uploads)
            let first = await bot.answer(.upload)
            #expect(first.contains("a.bin  2200 bytes") && first.contains("trip/b.bin  700 bytes"), "\(first)")
            let changed = ObjectStoreTests.bytes(900, seed: 53)
            _ = try ObjectStoreTests.write(changed, named: "trip/b.bin", in: uploads)
            let second = await bot.answer(.upload)
            #expect(second.contains("a.bin  already stored"), "\(second)")
            #expect(second.contains("trip/b.bin  900 bytes"), "\(second)")
            let objects = try await catalogue.catalogueObjects()
            #expect(objects.map(\.name) == ["a.bin", "trip/b.bin", "trip/b.bin"])
            let back = try await engine.get(try #require(objects.last), into: folder + "/back")
            #expect(back == folder + "/back/trip/b.bin")
            #expect(FileManager.default.contents(atPath: back) == changed)
        }
    }

    /// Anyone who could write in the channel could use the commands (before: a plain member's `!download` wrote onto
    /// the bot's disk and `!upload` filled the store). Now a plain member is told once who may, then ignored; the
    /// owner is answered; the same member, allowed by id, is answered.
    @Test func onlyTheOwnerAdministratorsAndThoseAllowedAreAnswered() async throws {
        try await SimulatorServer.withClient(ObjectStoreTests.configuration()) { sim, client in
            let channel = try await ObjectStoreTests.channel(sim)
            let guild = sim.guildIDs[0]
            let owner = try #require(try await client.guild(guild, withCounts: false).value.ownerId)
            var plain: Snowflake<User>?
            for try await page in client.members(guild) {
                plain = plain ?? page.compactMap(\.value.user).first { $0.id != owner && $0.bot != true }?.id
            }
            let member = try #require(plain)
            let catalogue = try SQLiteArchiveStore.inMemory()
            let engine = ObjectStoreEngine(client: client, catalogue: catalogue, limits: ObjectStoreTests.small)
            for allowed in [false, true] {
                let running = StoreCommandBot(
                    engine: engine, token: sim.tokens[0], channel: channel, outFolder: "unused",
                    access: StoreCommandAccess(users: allowed ? [member] : []))
                let (task, answers) = await Self.start(running)
                var next = answers
                func type(_ text: String, as author: Snowflake<User>) async throws {
                    try await ObjectStoreTests.mutate(
                        sim,
                        ["op": "create", "channelId": channel.description, "content": text, "authorId": "\(author)"])
                }
                try await type("!ls", as: member)
                let first = try #require(await next.next() ?? nil)
                if allowed {
                    #expect(first == "the store is empty", "\(first)")
                } else {
                    #expect(first.contains("<@\(member)>: only the server's owner, members with the Administrator"))
                    // Told once: the next command of the same member gets no answer; the owner's next one does.
                    try await type("!status", as: member)
                    try await type("!status", as: owner)
                    let second = try #require(await next.next() ?? nil)
                    #expect(second.contains("objects: 0 complete"), "\(second)")
                }
                running.stop()
                try await task.value
            }
        }
    }

    @Test func accessFollowsOwnerAdministratorUsersAndRoles() {
        let guild = Snowflake<Guild>(10)
        var admin = Role(id: Snowflake(20), name: "Admins", color: 0, position: 2, permissions: [.administrator])
        admin.managed = false
        let everyone = Role(id: Snowflake(10), name: "@everyone", color: 0, position: 0, permissions: [.viewChannel])
        let calculator = PermissionCalculator(guildId: guild, ownerId: Snowflake(1), roles: [everyone, admin])
        let access = StoreCommandAccess(users: [Snowflake(3)], roles: [Snowflake(30)])
        #expect(access.allows(Snowflake(1), roles: [], in: calculator))  // the owner
        #expect(access.allows(Snowflake(2), roles: [Snowflake(20)], in: calculator))  // an administrator
        #expect(access.allows(Snowflake(3), roles: [], in: calculator))  // allowed by id
        #expect(access.allows(Snowflake(4), roles: [Snowflake(30)], in: calculator))  // allowed by role
        #expect(!access.allows(Snowflake(5), roles: [Snowflake(40)], in: calculator))  // a plain member
        #expect(!access.allows(Snowflake(1), roles: [], in: nil))  // no server known: only those listed
        #expect(access.allows(Snowflake(3), roles: [], in: nil))
    }
}
