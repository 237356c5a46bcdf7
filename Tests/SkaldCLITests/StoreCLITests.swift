import DiscordSimulator
import Foundation
import PostgresStore
import SkaldConfiguration
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `skald store` as the user runs it, against the simulator: SIGKILL during a put, then resume.
@Suite("Store on the command line", .serialized) struct StoreCLITests {
    @Test func sigkillDuringPutThenResumeUploadsNoChunkTwice() async throws {
        var config = SimulatorConfiguration()
        config.seed = 19
        config.guilds = 1
        config.channelsPerGuild = 2
        config.messagesPerChannel = 5
        config.threadsPerGuild = 0
        config.rateLimits = .off
        let sim = try await SimulatorServer.start(config)
        do {
            try await run(sim)
        } catch {
            await sim.shutdown()
            throw error
        }
        await sim.shutdown()
    }

    func run(_ sim: SimulatorServer) async throws {
        var channel = ""
        for id in sim.messageChannelIDs(guild: sim.guildIDs[0]) {
            if let truth = await sim.truthChannel(id), truth.readable, truth.type == .guildText {
                channel = id.description
                break
            }
        }
        try await withTemporaryFolder { folder in
            var data = Data(count: 2_500_000)
            for index in stride(from: 0, to: data.count, by: 997) { data[index] = UInt8(index % 251) }
            try data.write(to: URL(fileURLWithPath: folder + "/k.bin"))
            let common = [
                "--api-base", sim.apiBase, "--token", sim.tokens[0], "--db", "sqlite:s.sqlite", "--chunk-limit",
                "100000",
            ]
            // 25 chunks of 100 000 bytes, 10 per message: killed once the first message is recorded.
            let put = try SkaldProcess(
                ["store", "put", "k.bin", "--channel", channel, "--progress"] + common, in: folder)
            #expect(await put.waitForOutput(containing: "posted chunks 0-9 of 25") != nil)
            put.send(SIGKILL)
            _ = await put.finish()
            let resumed = try await SkaldProcess.run(["store", "resume"] + common, in: folder)
            #expect(resumed.status == 0, "\(resumed.output)")
            #expect(resumed.output.contains("complete"))
            // Every chunk once, plus the manifest once.
            #expect(sim.uploadCounts().attachments == 26)
            let got = try await SkaldProcess.run(["store", "get", "k.bin", "--out", "got"] + common, in: folder)
            #expect(got.status == 0, "\(got.output)")
            #expect(FileManager.default.contents(atPath: folder + "/got/k.bin") == data)
            let wrong = try await SkaldProcess.run(
                ["store", "verify", "nothing-like-this"] + common, in: folder)
            #expect(wrong.status == 1)
            #expect(wrong.output.contains("error: no stored object is called nothing-like-this"))
        }
    }

    /// A folder goes up file by file (several at once), each named by its path below the folder's parent, with
    /// plain progress lines in a pipe; `get` writes each back below --out.
    @Test func folderKeepsRelativePaths() async throws {
        var config = SimulatorConfiguration()
        config.seed = 19
        config.guilds = 1
        config.channelsPerGuild = 2
        config.messagesPerChannel = 5
        config.threadsPerGuild = 0
        config.rateLimits = .off
        let sim = try await SimulatorServer.start(config)
        do {
            try await folder(sim)
        } catch {
            await sim.shutdown()
            throw error
        }
        await sim.shutdown()
    }

    func folder(_ sim: SimulatorServer) async throws {
        var channel = ""
        for id in sim.messageChannelIDs(guild: sim.guildIDs[0]) {
            if let truth = await sim.truthChannel(id), truth.readable, truth.type == .guildText {
                channel = id.description
                break
            }
        }
        try await withTemporaryFolder { folder in
            let names = ["photos/a.bin", "photos/2026/b.bin", "photos/2026/11/c.bin", "photos/z.bin"]
            var contents: [String: Data] = [:]
            for (index, name) in names.enumerated() {
                let path = folder + "/" + name
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                let data = Data((0..<(150_000 * (index + 1))).map { UInt8(truncatingIfNeeded: $0 &* (index + 7)) })
                try data.write(to: URL(fileURLWithPath: path))
                contents[name] = data
            }
            let common = [
                "--api-base", sim.apiBase, "--token", sim.tokens[0], "--db", "sqlite:s.sqlite", "--chunk-limit",
                "100000",
            ]
            let put = try await SkaldProcess.run(
                ["store", "put", "photos", "--channel", channel, "--progress", "--parallel", "3"] + common, in: folder)
            #expect(put.status == 0, "\(put.output)")
            #expect(put.output.contains("posted chunks 0-4 of 5 photos/2026/11/c.bin"), "\(put.output)")
            for name in names {
                #expect(put.output.contains("  \(name)  \(contents[name]?.count ?? 0) bytes"), "\(put.output)")
                let got = try await SkaldProcess.run(["store", "get", name, "--out", "got"] + common, in: folder)
                #expect(got.status == 0, "\(got.output)")
                #expect(FileManager.default.contents(atPath: folder + "/got/" + name) == contents[name], "\(name)")
            }
        }
    }

    /// The catalogue on PostgreSQL: put and get with `--db postgres://…`, and `migrate-store` carries a SQLite
    /// catalogue to PostgreSQL so the objects can be read from there.
    @Test(.enabled(if: TestPostgres.isWanted)) func catalogueOnPostgresAndMigrated() async throws {
        var config = SimulatorConfiguration()
        config.seed = 19
        config.guilds = 1
        config.channelsPerGuild = 2
        config.messagesPerChannel = 5
        config.threadsPerGuild = 0
        config.rateLimits = .off
        let sim = try await SimulatorServer.start(config)
        let schemas = [TestPostgres.freshSchema(prefix: "cli_store_"), TestPostgres.freshSchema(prefix: "cli_moved_")]
        do {
            try await postgres(sim, schemas: schemas)
        } catch {
            await Self.drop(schemas)
            await sim.shutdown()
            throw error
        }
        await Self.drop(schemas)
        await sim.shutdown()
    }

    func postgres(_ sim: SimulatorServer, schemas: [String]) async throws {
        let url = try TestPostgres.requiredURL()
        var channel = ""
        for id in sim.messageChannelIDs(guild: sim.guildIDs[0]) {
            if let truth = await sim.truthChannel(id), truth.readable, truth.type == .guildText {
                channel = id.description
                break
            }
        }
        try await withTemporaryFolder { folder in
            var data = Data(count: 250_000)
            for index in stride(from: 0, to: data.count, by: 13) { data[index] = UInt8(index % 253) }
            try data.write(to: URL(fileURLWithPath: folder + "/p.bin"))
            let account = ["--api-base", sim.apiBase, "--token", sim.tokens[0], "--chunk-limit", "100000"]
            let onPostgres = account + ["--db", url + "?schema=" + schemas[0]]
            let put = try await SkaldProcess.run(
                ["store", "put", "p.bin", "--channel", channel] + onPostgres, in: folder)
            #expect(put.status == 0, "\(put.output)")
            let list = try await SkaldProcess.run(["store", "ls", "--json"] + onPostgres, in: folder)
            #expect(list.output.contains("\"name\":\"p.bin\""), "\(list.output)")
            let got = try await SkaldProcess.run(["store", "get", "p.bin", "--out", "pg"] + onPostgres, in: folder)
            #expect(got.status == 0, "\(got.output)")
            #expect(FileManager.default.contents(atPath: folder + "/pg/p.bin") == data)

            let onSQLite = account + ["--db", "sqlite:s.sqlite"]
            let local = try await SkaldProcess.run(
                ["store", "put", "p.bin", "--channel", channel] + onSQLite, in: folder)
            #expect(local.status == 0, "\(local.output)")
            let moved = url + "?schema=" + schemas[1]
            let migrate = try await SkaldProcess.run(
                ["migrate-store", "--from", "sqlite:s.sqlite", "--to", moved], in: folder)
            #expect(migrate.status == 0, "\(migrate.output)")
            #expect(migrate.output.contains("copied table=store_object rows=1"), "\(migrate.output)")
            let again = try await SkaldProcess.run(
                ["store", "get", "p.bin", "--out", "moved"] + account + ["--db", moved], in: folder)
            #expect(again.status == 0, "\(again.output)")
            #expect(FileManager.default.contents(atPath: folder + "/moved/p.bin") == data)
        }
    }

    /// Drops the schemas a test made.
    static func drop(_ schemas: [String]) async {
        guard let location = try? TestPostgres.location() else { return }
        for schema in schemas {
            var configuration = PostgresArchiveStore.Configuration(location: location)
            configuration.schema = schema
            configuration.poolSize = 1
            guard let store = try? await PostgresArchiveStore.connect(configuration) else { continue }
            try? await store.dropSchema()
            await store.shutdown()
        }
    }
}
