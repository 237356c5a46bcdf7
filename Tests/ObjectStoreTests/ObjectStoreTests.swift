import ArchiveStore
import AsyncHTTPClient
import DiscordModels
import DiscordREST
import DiscordSimulator
import Foundation
import Logging
import ObjectStore
import SQLiteStore
import TestSupport
import Testing

/// `skald store`'s engine against the simulator over loopback, with a small chunk size so tests stay fast.
@Suite struct ObjectStoreTests {
    static let small = StoreLimits(attachmentBytes: 1000, attachmentsPerMessage: 3)

    @Test(arguments: [0, 1, 1000, 3500])
    func putAndGetRoundTrip(size: Int) async throws {
        try await withStore { sim, engine, channel, folder in
            let data = Self.bytes(size, seed: UInt8(size % 251))
            let source = try Self.write(data, named: "file-\(size).bin", in: folder)
            let entry = try await engine.put(path: source, channel: channel)
            #expect(entry.state == .complete)
            #expect(entry.archiveId.hasPrefix("#"))
            let manifest = try #require(ObjectManifest.decode(Data(entry.manifestJSON.utf8)))
            #expect(manifest.chunks.count == max(1, (size + 999) / 1000))
            #expect(!entry.manifestJSON.contains("http"))
            let got = try await engine.get(entry, into: folder + "/out")
            #expect(FileManager.default.contents(atPath: got) == data)
            try await engine.verify(entry)
        }
    }

    /// 35 MB with Discord's own limits (10 MiB chunks, two to a message within 25 MiB a request): four chunks in
    /// two messages, the file back byte for byte, every hash checked by `verify`.
    @Test func thirtyFiveMegabytesWithDiscordsLimits() async throws {
        try await withStore(limits: StoreLimits()) { _, engine, channel, folder in
            var data = Data(count: 35_000_000)
            data.withUnsafeMutableBytes { raw in  // a non-repeating fill, a word at a time
                var state: UInt64 = 0x9E37_79B9_7F4A_7C15
                for index in 0..<raw.count / 8 {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    raw.storeBytes(of: state, toByteOffset: index * 8, as: UInt64.self)
                }
            }
            let source = try Self.write(data, named: "big.bin", in: folder)
            let entry = try await engine.put(path: source, channel: channel)
            let manifest = try #require(ObjectManifest.decode(Data(entry.manifestJSON.utf8)))
            #expect(manifest.chunks.count == 4)
            #expect(Set(manifest.chunks.compactMap(\.messageId)).count == 2)
            #expect(manifest.sha256.count == 64)
            let got = try await engine.get(entry, into: folder + "/out")
            #expect(FileManager.default.contents(atPath: got) == data)
            try await engine.verify(entry)
        }
    }

    @Test(arguments: CatalogueBackend.all)
    func rangeAcrossChunkBoundaryPlainAndEncrypted(backend: CatalogueBackend) async throws {
        try await withStore(backend: backend) { _, engine, channel, folder in
            let data = Self.bytes(3500, seed: 3)
            let source = try Self.write(data, named: "r.bin", in: folder)
            let plain = try await engine.put(path: source, channel: channel)
            let sealed = try await engine.put(
                path: source, channel: channel, name: "r-secret.bin", passphrase: "pw", scryptCostLog2: 10)
            let plainRange = try await engine.get(plain, into: folder + "/p", range: 900...2100)
            #expect(FileManager.default.contents(atPath: plainRange) == data[900...2100])
            let sealedRange = try await engine.get(sealed, into: folder + "/s", range: 960...980, passphrase: "pw")
            #expect(FileManager.default.contents(atPath: sealedRange) == data[960...980])
            let whole = try await engine.get(sealed, into: folder + "/s", passphrase: "pw")
            #expect(FileManager.default.contents(atPath: whole) == data)
            #expect(!sealed.manifestJSON.contains("r-secret"))
            try await engine.verify(sealed)  // without the passphrase: the posted bytes' hashes
            try await engine.verify(sealed, passphrase: "pw")
        }
    }

    @Test func wrongPassphraseFailsAndLeavesNothing() async throws {
        try await withStore { _, engine, channel, folder in
            let source = try Self.write(Self.bytes(2500, seed: 5), named: "w.bin", in: folder)
            let entry = try await engine.put(path: source, channel: channel, passphrase: "right", scryptCostLog2: 10)
            let error = await #expect(throws: ObjectStoreError.self) {
                try await engine.get(entry, into: folder + "/bad", passphrase: "wrong")
            }
            #expect(error?.message.contains("wrong passphrase") == true)
            let left = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/bad")) ?? []
            #expect(left.isEmpty)
        }
    }

    @Test func corruptedChunkIsNamedByVerifyAndGet() async throws {
        try await withStore { sim, engine, channel, folder in
            let source = try Self.write(Self.bytes(3500, seed: 9), named: "c.bin", in: folder)
            let entry = try await engine.put(path: source, channel: channel)
            let manifest = try #require(ObjectManifest.decode(Data(entry.manifestJSON.utf8)))
            let victim = manifest.chunks[2]
            try await Self.mutate(
                sim,
                [
                    "op": "corruptAttachment", "channelId": channel.description,
                    "messageId": victim.messageId ?? "", "index": victim.attachmentIndex ?? 0,
                ])
            let verifyError = await #expect(throws: ObjectStoreError.self) { try await engine.verify(entry) }
            #expect(verifyError?.message.contains("chunk 2") == true)
            let getError = await #expect(throws: ObjectStoreError.self) {
                try await engine.get(entry, into: folder + "/c")
            }
            #expect(getError?.message.contains("chunk 2") == true)
            let left = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/c")) ?? []
            #expect(left.isEmpty)
        }
    }

    /// A chunk seals to the same bytes each time (its nonce derived from the key, its label and its bytes), so a
    /// chunk message brought back by its Discord nonce after a crash holds what the rerun records; another chunk or
    /// other bytes get another nonce.
    @Test func aChunkSealsToTheSameBytesEachTime() throws {
        let (_, cipher) = try ChunkCipher.create(passphrase: "pw", objectId: "o1", name: "n", costLog2: 10)
        let plain = Data(repeating: 7, count: 1000)
        var other = plain
        other[999] = 8
        let sealed = try cipher.seal(plain, chunk: 3)
        #expect(try cipher.seal(plain, chunk: 3) == sealed)
        #expect(try cipher.seal(plain, chunk: 4).prefix(12) != sealed.prefix(12))
        #expect(try cipher.seal(other, chunk: 3).prefix(12) != sealed.prefix(12))
        #expect(try cipher.open(sealed, chunk: 3) == plain)
        #expect((try? cipher.open(sealed, chunk: 4)) == nil)
    }

    @Test(arguments: CatalogueBackend.all)
    func resumePostsOnlyMissingChunksAndRecoverRebuildsTheCatalogue(backend: CatalogueBackend) async throws {
        try await backend.with { catalogue in try await resumeAndRecover(catalogue: catalogue) }
    }

    func resumeAndRecover(catalogue: any ObjectCatalogue) async throws {
        try await SimulatorServer.withClient(Self.configuration()) { sim, client in
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let channel = try await Self.channel(sim)
            let data = Self.bytes(9500, seed: 11)  // 10 chunks, 4 messages of ≤ 3
            let interrupted = try await Self.interruptedPut(
                data, named: "k.bin", client: client, catalogue: catalogue, channel: channel, folder: folder)
            #expect(interrupted.state == .uploading)
            let engine = ObjectStoreEngine(client: client, catalogue: catalogue, limits: Self.small)
            let resumed = try await engine.resume(interrupted)
            #expect(resumed.state == .complete)
            let got = try await engine.get(resumed, into: folder + "/k")
            #expect(FileManager.default.contents(atPath: got) == data)
            // The channel holds every chunk exactly once (the crash came after a post, before its save).
            let posted = try await Self.chunkAttachmentCount(client, channel: channel, objectId: resumed.objectId)
            #expect(posted == 10)

            let fresh = try SQLiteArchiveStore.inMemory()
            let recovering = ObjectStoreEngine(client: client, catalogue: fresh, limits: Self.small)
            let recovered = try await recovering.recover(channel: channel)
            #expect(recovered.map(\.objectId) == [resumed.objectId])
            #expect(recovered.first?.name == "k.bin")
            let again = try await recovering.get(try #require(recovered.first), into: folder + "/r")
            #expect(FileManager.default.contents(atPath: again) == data)
        }
    }

    /// Each posted chunk's hash is recorded with its message (the pass over the file runs beside the uploads): a
    /// file changed between a crash and `resume` is refused before anything more is posted.
    @Test func resumeRefusesAFileChangedSinceTheCrash() async throws {
        try await SimulatorServer.withClient(Self.configuration()) { sim, client in
            let channel = try await Self.channel(sim)
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let catalogue = try SQLiteArchiveStore.inMemory()
            let failing = CrashingCatalogue(inner: catalogue, failOnRecord: 2)
            // One message in flight: with two, the second message's post can still land after the crash throws
            // (a request already sent is not called back), and the count below would race with it.
            let oneInFlight = StoreLimits(attachmentBytes: 1000, attachmentsPerMessage: 3, messagesInFlight: 1)
            let crashing = ObjectStoreEngine(client: client, catalogue: failing, limits: oneInFlight)
            var data = Self.bytes(9500, seed: 31)
            let source = try Self.write(data, named: "m.bin", in: folder)
            await #expect(throws: CrashingCatalogue.Crash.self) {
                _ = try await crashing.put(path: source, channel: channel)
            }
            let interrupted = try #require(try await catalogue.catalogueObjects().first)
            let manifest = try #require(ObjectManifest.decode(Data(interrupted.manifestJSON.utf8)))
            let posted = manifest.chunks.filter { $0.messageId != nil }
            #expect(posted.map(\.index) == [0, 1, 2])
            #expect(posted.allSatisfy { $0.sha256.count == 64 && $0.storedSha256 == $0.sha256 })
            let attachments = sim.uploadCounts().attachments
            data[5] ^= 0xFF  // chunk 0, already posted
            try data.write(to: URL(fileURLWithPath: source))
            let engine = ObjectStoreEngine(client: client, catalogue: catalogue, limits: Self.small)
            let error = await #expect(throws: ObjectStoreError.self) { _ = try await engine.resume(interrupted) }
            #expect(error?.message.contains("changed since the upload began (chunk 0 differs)") == true)
            #expect(sim.uploadCounts().attachments == attachments)
        }
    }

    /// Files put at once share the engine's messages in flight, get distinct archive ids, and come back whole;
    /// a name with folders comes back below the output folder, and cannot climb out of it.
    @Test func parallelPutsOfSeveralFiles() async throws {
        let limits = StoreLimits(attachmentBytes: 1000, attachmentsPerMessage: 2, messagesInFlight: 3)
        try await withStore(limits: limits) { sim, engine, channel, folder in
            let files = try (0..<6).map { index in
                let data = Self.bytes(1500 + 700 * index, seed: UInt8(40 + index))
                return (try Self.write(data, named: "p\(index).bin", in: folder), data)
            }
            let entries = try await withThrowingTaskGroup(of: CatalogueObject.self) { group in
                for (index, file) in files.enumerated() {
                    group.addTask {
                        try await engine.put(path: file.0, channel: channel, name: "set/sub\(index % 2)/p\(index).bin")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(entries.map(\.archiveId)).count == 6)
            for entry in entries {
                let index = try #require(Int(entry.name.dropFirst("set/subN/p".count).prefix(1)))
                let got = try await engine.get(entry, into: folder + "/out")
                #expect(got == folder + "/out/set/sub\(index % 2)/p\(index).bin")
                #expect(FileManager.default.contents(atPath: got) == files[index].1)
            }
            let chunks = files.map { ($0.1.count + 999) / 1000 }.reduce(0, +)
            #expect(sim.uploadCounts().attachments == chunks + 6)  // every chunk once, and six manifests
            var climbing = try #require(entries.first)
            climbing.name = "../../escape.bin"
            let inside = try await engine.get(climbing, into: folder + "/safe")
            #expect(inside == folder + "/safe/escape.bin")
        }
    }

    /// A download spanning several chunk messages learns their URLs from one message listing, not one `GET` per
    /// message (the message routes share a 5-per-5-s bucket).
    @Test func downloadListsChunkMessagesInsteadOfFetchingEach() async throws {
        try await SimulatorServer.withClient(Self.configuration()) { sim, client in
            let channel = try await Self.channel(sim)
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let catalogue = try SQLiteArchiveStore.inMemory()
            let uploader = ObjectStoreEngine(client: client, catalogue: catalogue, limits: Self.small)
            let data = Self.bytes(9500, seed: 23)  // 10 chunks, 4 messages of ≤ 3
            let entry = try await uploader.put(path: try Self.write(data, named: "l.bin", in: folder), channel: channel)
            // Another engine knows no URL, as a later `skald store get` process would.
            let downloader = ObjectStoreEngine(client: client, catalogue: catalogue, limits: Self.small)
            let before = await sim.stats().byRoute
            let got = try await downloader.get(entry, into: folder + "/l")
            #expect(FileManager.default.contents(atPath: got) == data)
            let after = await sim.stats().byRoute
            let route = "GET /channels/{channel.id}/messages"
            #expect((after[route] ?? 0) - (before[route] ?? 0) == 1)
            #expect(after["GET /channels/{channel.id}/messages/{message.id}"] == nil)
        }
    }

    /// A signed URL remembered from the upload has expired on the simulator's virtual clock: the CDN answers 404
    /// and the engine renews it through `POST /attachments/refresh-urls` (the engine's own clock does not know).
    @Test func expiredURLIsRefreshedAfterTheCDNRefusesIt() async throws {
        let time = VirtualTime()
        var config = Self.configuration()
        config.clock = time.clock
        config.attachmentURLLifetime = .seconds(600)
        try await withStore(configuration: config) { sim, engine, channel, folder in
            let data = Self.bytes(3500, seed: 21)
            let entry = try await engine.put(path: try Self.write(data, named: "e.bin", in: folder), channel: channel)
            time.advance(by: .seconds(3600))
            let got = try await engine.get(entry, into: folder + "/e")
            #expect(FileManager.default.contents(atPath: got) == data)
            let routes = await sim.stats().byRoute
            // Chunks 0–2 share a message, chunk 3 has its own: one refresh per message, after the first 404.
            #expect(routes["POST /attachments/refresh-urls"] == 2)
            #expect(routes["GET /channels/{channel.id}/messages/{message.id}"] == nil)
        }
    }

    /// With the engine on the same clock, URLs it knows to be expired (by their `ex`) are renewed before use.
    @Test func expiredURLIsRenewedBeforeUse() async throws {
        let time = VirtualTime()
        var config = Self.configuration()
        config.clock = time.clock
        config.attachmentURLLifetime = .seconds(600)
        let virtualNow: @Sendable () -> Date = { Date(timeIntervalSince1970: time.now) }
        try await withStore(configuration: config, now: virtualNow) { sim, engine, channel, folder in
            let data = Self.bytes(2500, seed: 22)
            let entry = try await engine.put(path: try Self.write(data, named: "f.bin", in: folder), channel: channel)
            time.advance(by: .seconds(3600))
            try await engine.verify(entry)
            let routes = await sim.stats().byRoute
            #expect(routes["POST /attachments/refresh-urls"] == 1)  // the three chunks share one message
        }
    }

    @Test func tooLargeLowersTheChunkSize() async throws {
        try await withStore(limits: StoreLimits(attachmentBytes: 11 * 1024 * 1024)) { _, engine, channel, folder in
            let data = Self.bytes(11 * 1024 * 1024 + 5, seed: 13)
            let source = try Self.write(data, named: "big.bin", in: folder)
            let entry = try await engine.put(path: source, channel: channel)
            let manifest = try #require(ObjectManifest.decode(Data(entry.manifestJSON.utf8)))
            #expect(manifest.chunkSize <= 10 * 1024 * 1024)
            let got = try await engine.get(entry, into: folder + "/b")
            #expect(FileManager.default.contents(atPath: got) == data)
        }
    }

    // MARK: support

    static func configuration() -> SimulatorConfiguration {
        SimulatorConfiguration.testWorld(seed: 19, channels: 2, messages: 5)
    }

    func withStore(
        limits: StoreLimits = small, backend: CatalogueBackend = .sqlite,
        configuration: SimulatorConfiguration = configuration(), now: @escaping @Sendable () -> Date = { Date() },
        _ body: (SimulatorServer, ObjectStoreEngine, Snowflake<Channel>, String) async throws -> Void
    ) async throws {
        try await SimulatorServer.withClient(configuration) { sim, client in
            try await backend.with { catalogue in
                let engine = ObjectStoreEngine(client: client, catalogue: catalogue, limits: limits, now: now)
                let folder = try Self.folder()
                defer { try? FileManager.default.removeItem(atPath: folder) }
                try await body(sim, engine, try await Self.channel(sim), folder)
            }
        }
    }

    /// The first readable text channel (the bot may post in it).
    static func channel(_ sim: SimulatorServer) async throws -> Snowflake<Channel> {
        for id in sim.messageChannelIDs(guild: sim.guildIDs[0]) {
            if let truth = await sim.truthChannel(id), truth.readable, truth.type == .guildText { return id }
        }
        throw ObjectStoreError("no readable text channel")
    }

    /// Puts `data` as the file `name` in `folder` through a catalogue that fails on its third save (after a chunk
    /// message is posted, before it is recorded), as a process killed mid-upload; returns the incomplete entry.
    static func interruptedPut(
        _ data: Data, named name: String, client: DiscordClient, catalogue: any ObjectCatalogue,
        channel: Snowflake<Channel>, folder: String
    ) async throws -> CatalogueObject {
        let failing = CrashingCatalogue(inner: catalogue, failOnRecord: 2)
        let crashing = ObjectStoreEngine(client: client, catalogue: failing, limits: Self.small)
        let source = try Self.write(data, named: name, in: folder)
        await #expect(throws: CrashingCatalogue.Crash.self) {
            _ = try await crashing.put(path: source, channel: channel)
        }
        return try #require(try await catalogue.catalogueObjects().first { $0.name == name })
    }

    static func chunkAttachmentCount(_ client: DiscordClient, channel: Snowflake<Channel>, objectId: String)
        async throws -> Int
    {
        var count = 0
        for try await page in client.messages(in: channel, after: Snowflake(0)) {
            for message in page {
                count +=
                    message.value.attachments.filter {
                        $0.filename.hasPrefix(objectId) && $0.filename.hasSuffix(".bin")
                    }
                    .count
            }
        }
        return count
    }

    static func mutate(_ sim: SimulatorServer, _ body: [String: Any]) async throws {
        var request = HTTPClientRequest(url: sim.baseURL + "/__sim/mutate")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(try JSONSerialization.data(withJSONObject: body))
        // A client of its own, shut down after the call: with the process-wide `HTTPClient.shared`, its keep-alive
        // connection was still open when the test shut the simulator down, and that shutdown (Hummingbird's
        // graceful one) then waited for ever in about 6 of 100 runs under load.
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let response = try await http.execute(request, timeout: TestDeadline.request)
            _ = try await response.body.collect(upTo: 1 << 20)
            try await http.shutdown()
            #expect(response.status == .ok)
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    static func bytes(_ count: Int, seed: UInt8) -> Data {
        var state = UInt32(seed) &+ 0x9E37
        return Data(
            (0..<count).map { _ in
                state = state &* 1_664_525 &+ 1_013_904_223
                return UInt8(truncatingIfNeeded: state >> 24)
            })
    }

    /// A new folder under the temporary folder; the caller removes it (`defer`).
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("skald-store-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ data: Data, named name: String, in folder: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// The simulator's store-facing surface: refreshed URLs, upload counts.
@Suite struct SimulatorUploadTests {
    @Test func refreshedURLsServeTheSameBytesAndForgedOnesAreLeftOut() async throws {
        try await SimulatorServer.withClient(ObjectStoreTests.configuration()) { sim, client in
            let channel = try await ObjectStoreTests.channel(sim)
            let message = try await client.createMessage(
                in: channel, MessageCreate(content: "u"), files: [FileUpload(filename: "a.bin", data: Data([1, 2, 3]))]
            ).value
            let url = try #require(message.attachments.first?.url)
            let forged = url.replacingOccurrences(of: "hm=", with: "hm=0")
            let refreshed = try await client.refreshAttachmentURLs([url, forged])
            #expect(refreshed[forged] == nil)
            let fresh = try #require(refreshed[url])
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: fresh), timeout: TestDeadline.request)
            #expect(response.status == .ok)
            let body = try await response.body.collect(upTo: 1024)
            #expect(Array(body.readableBytesView) == [1, 2, 3])
            #expect(sim.uploadCounts() == (bytes: 3, attachments: 1))
        }
    }
}
