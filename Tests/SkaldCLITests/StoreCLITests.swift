import DiscordModels
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

/// `skald store` as the user runs it, against the simulator: SIGKILL during a put, then resume; memory of the real
/// binary on a large sparse file.
@Suite("Store on the command line", .serialized) struct StoreCLITests {
    /// The simulator every test here runs against: one guild, no rate limits.
    static func simulatorConfiguration() -> SimulatorConfiguration {
        SimulatorConfiguration.testWorld(seed: 19, channels: 2, messages: 5)
    }

    /// A 2.5 MB file `name` in `folder`, 25 chunks of 100 000 bytes (10 per message) with the options below, and
    /// the options that put it into `sim` with the catalogue `s.sqlite`.
    static func twentyFiveChunks(named name: String, in folder: String, sim: SimulatorServer) throws
        -> (data: Data, common: [String])
    {
        var data = Data(count: 2_500_000)
        for index in stride(from: 0, to: data.count, by: 997) { data[index] = UInt8(index % 251) }
        try data.write(to: URL(fileURLWithPath: folder + "/" + name))
        let common = [
            "--api-base", sim.apiBase, "--token", sim.tokens[0], "--db", "sqlite:s.sqlite", "--chunk-limit", "100000",
        ]
        return (data, common)
    }

    /// Runs `body` with a simulator and the id of its first readable text channel, shutting the simulator down
    /// whether `body` threw.
    static func withSimulator(_ body: (SimulatorServer, String) async throws -> Void) async throws {
        try await SimulatorServer.withRunning(simulatorConfiguration()) { sim in
            var channel = ""
            for id in sim.messageChannelIDs(guild: sim.guildIDs[0]) {
                if let truth = await sim.truthChannel(id), truth.readable, truth.type == .guildText {
                    channel = id.description
                    break
                }
            }
            try await body(sim, channel)
        }
    }

    /// The kill lands while an upload is in flight, every time: the simulator lets the first chunk message through
    /// and holds the next ones (`holdUploads`, its test-only pause), the binary is killed once it has recorded the
    /// first message and a second is held, and the held posts are then dropped as lost in transit. `resume` posts
    /// only the chunks the catalogue lacks (the simulator counts every attachment: 25 chunks and the manifest, once
    /// each), `verify` passes and the file comes back byte for byte. Two messages in flight, so the held post is
    /// not the only one the kill cuts off.
    @Test func sigkillDuringPutThenResumeUploadsNoChunkTwice() async throws {
        try await Self.withSimulator { sim, channel in
            try await withTemporaryFolder { folder in
                let (data, common) = try Self.twentyFiveChunks(named: "k.bin", in: folder, sim: sim)
                // 25 chunks of 100 000 bytes, 10 per message: the first message goes up, the others are held.
                let put = ["store", "put", "k.bin", "--channel", channel, "--messages-in-flight", "2"] + common
                let held = try await Self.killWhileUploadsAreHeld(put, in: folder, sim: sim, delivered: false)
                #expect(held >= 1)
                #expect(sim.uploadCounts().attachments == 10)

                let status = try await SkaldProcess.run(["store", "status"] + common, in: folder)
                #expect(status.output.contains("1 incomplete"), "\(status.output)")
                let resumed = try await SkaldProcess.run(["store", "resume"] + common, in: folder)
                #expect(resumed.status == 0, "\(resumed.output)")
                #expect(resumed.output.contains("complete"))
                // Every chunk once, plus the manifest once.
                #expect(sim.uploadCounts().attachments == 26)
                let verified = try await SkaldProcess.run(["store", "verify"] + common, in: folder)
                #expect(verified.status == 0, "\(verified.output)")
                let got = try await SkaldProcess.run(["store", "get", "k.bin", "--out", "got"] + common, in: folder)
                #expect(got.status == 0, "\(got.output)")
                #expect(FileManager.default.contents(atPath: folder + "/got/k.bin") == data)
                let wrong = try await SkaldProcess.run(
                    ["store", "verify", "nothing-like-this"] + common, in: folder)
                #expect(wrong.status == 1)
                #expect(wrong.output.contains("error: no stored object is called nothing-like-this"))
            }
        }
    }

    /// Killed (SIGKILL) while a chunk message is in flight, which then reaches Discord with the file's bytes of
    /// then; the file is changed in exactly those chunks (same size). Before, the same `put` again posted that
    /// message under its nonce, got the killed run's message back, recorded it under the new hashes and finished
    /// "complete": the object's chunk 10 was not the file's (`get` and `verify`: damaged). Now the hashes of a
    /// message are saved before it is posted, and the rerun, seeing the file no longer holds them, leaves that upload
    /// and puts the file whole as a new object; `resume` of the old one refuses, naming the chunk.
    @Test func aChunkInFlightAtAKillIsNeverRecoveredWithBytesTheFileNoLongerHolds() async throws {
        try await Self.withSimulator { sim, channel in
            try await withTemporaryFolder { folder in
                var (data, common) = try Self.twentyFiveChunks(named: "n.bin", in: folder, sim: sim)
                let put = ["store", "put", "n.bin", "--channel", channel, "--messages-in-flight", "1"] + common
                #expect(try await Self.killWhileUploadsAreHeld(put, in: folder, sim: sim, delivered: true) == 1)
                #expect(sim.uploadCounts().attachments == 20)
                for index in stride(from: 1_000_000, to: 2_000_000, by: 4096) { data[index] ^= 0x5A }
                try data.write(to: URL(fileURLWithPath: folder + "/n.bin"))

                let again = try await SkaldProcess.run(put, in: folder)
                #expect(again.status == 0, "\(again.output)")
                let got = try await SkaldProcess.run(["store", "get", "n.bin", "--out", "got"] + common, in: folder)
                #expect(got.status == 0, "\(got.output)")
                #expect(FileManager.default.contents(atPath: folder + "/got/n.bin") == data)
                let resumed = try await SkaldProcess.run(["store", "resume"] + common, in: folder)
                #expect(resumed.status == 1, "\(resumed.output)")
                #expect(resumed.output.contains("chunk 10 differs"), "\(resumed.output)")
            }
        }
    }

    /// Runs `put` and kills it (SIGKILL) once its first chunk message is recorded and the simulator holds the next
    /// one(s) (chunks 10–19 first). The held posts are then lost in transit, or with `delivered` reach Discord with
    /// the bytes the file held then (as a post already sent when its client died does; awaited as an event).
    /// Returns how many were held.
    static func killWhileUploadsAreHeld(
        _ put: [String], in folder: String, sim: SimulatorServer, delivered: Bool,
        environment: [String: String] = [:]
    ) async throws -> Int {
        await sim.holdUploads(after: 1)
        let first = try SkaldProcess(put + ["--progress"], in: folder, environment: environment)
        let before = await first.waitForOutput(containing: "posted chunks ")
        #expect(before != nil, "the put ended before posting a message")
        await sim.waitUntilUploadsHeld(1)
        first.send(SIGKILL)
        let killed = await first.finish(prefix: before ?? "")
        #expect(killed.status == SIGKILL, "\(killed.output)")
        let held = await sim.releaseUploads(drop: !delivered)
        if delivered { await sim.waitUntilUploadsCreated(1 + held) }
        return held
    }

    /// An encrypted put killed while a chunk message is in flight, which then reaches Discord: before, the same put
    /// again sealed that chunk anew (a random nonce), got the killed run's message back by its Discord nonce, and
    /// recorded the new seal's hash: the object was "complete" and `verify` said chunk 10 was damaged, the file
    /// unchanged. A chunk now seals to the same bytes each time, so the message brought back is exactly the chunk.
    @Test func anEncryptedChunkInFlightAtAKillIsRecoveredWhole() async throws {
        try await Self.withSimulator { sim, channel in
            try await withTemporaryFolder { folder in
                let (data, common) = try Self.twentyFiveChunks(named: "e.bin", in: folder, sim: sim)
                let secret = ["SECRET": "correct horse"]
                let put =
                    ["store", "put", "e.bin", "--channel", channel, "--messages-in-flight", "1"] + common
                    + ["--passphrase-env", "SECRET"]
                let held = try await Self.killWhileUploadsAreHeld(
                    put, in: folder, sim: sim, delivered: true, environment: secret)
                #expect(held == 1)

                let again = try await SkaldProcess.run(put, in: folder, environment: secret)
                #expect(again.status == 0, "\(again.output)")
                let verified = try await SkaldProcess.run(
                    ["store", "verify", "--passphrase-env", "SECRET"] + common, in: folder, environment: secret)
                #expect(verified.status == 0, "\(verified.output)")
                let got = try await SkaldProcess.run(
                    ["store", "get", "e.bin", "--out", "got", "--passphrase-env", "SECRET"] + common, in: folder,
                    environment: secret)
                #expect(got.status == 0, "\(got.output)")
                #expect(FileManager.default.contents(atPath: folder + "/got/e.bin") == data)
            }
        }
    }

    /// SIGTERM during a put stops it with a line saying what is kept and what to do (before: exit 143, no word),
    /// and the same `put` again finishes that upload (before: a second object, every chunk posted again).
    @Test func sigtermDuringPutThenTheSamePutFinishesIt() async throws {
        try await Self.withSimulator { sim, channel in
            try await withTemporaryFolder { folder in
                let (data, common) = try Self.twentyFiveChunks(named: "t.bin", in: folder, sim: sim)
                let put = ["store", "put", "t.bin", "--channel", channel] + common
                await sim.holdUploads(after: 1)
                let first = try SkaldProcess(put + ["--progress"], in: folder)
                let before = await first.waitForOutput(containing: "posted chunks ")
                #expect(before != nil, "the put ended before posting a message")
                await sim.waitUntilUploadsHeld(1)
                first.send(SIGTERM)
                let stopped = await first.finish(prefix: before ?? "")
                #expect(stopped.status == 130, "\(stopped.output)")
                #expect(
                    stopped.output.contains("interrupted by SIGTERM: every chunk message posted so far is recorded"))
                await sim.releaseUploads(drop: true)
                #expect(sim.uploadCounts().attachments == 10)
                let again = try await SkaldProcess.run(put, in: folder)
                #expect(again.status == 0, "\(again.output)")
                // Every chunk once, plus the manifest once; one object.
                #expect(sim.uploadCounts().attachments == 26)
                let list = try await SkaldProcess.run(["store", "ls"] + common, in: folder)
                #expect(list.output.split(separator: "\n").count == 1, "\(list.output)")
                let got = try await SkaldProcess.run(["store", "get", "t.bin", "--out", "got"] + common, in: folder)
                #expect(got.status == 0, "\(got.output)")
                #expect(FileManager.default.contents(atPath: folder + "/got/t.bin") == data)
            }
        }
    }

    /// SIGTERM during a get stops it between files with one line (exit 130; before, exit 143, nothing said and a
    /// hidden partial file left): the first file is complete, the one being downloaded is removed, and the rerun
    /// keeps the first and downloads the second. The simulator holds the second file's first chunk halfway.
    @Test func sigtermDuringGetKeepsTheFinishedFilesAndRemovesThePartialOne() async throws {
        try await Self.withSimulator { sim, channel in
            try await withTemporaryFolder { folder in
                let first = Self.patterned(60_000)
                let second = Self.patterned(350_000)
                try first.write(to: URL(fileURLWithPath: folder + "/one.bin"))
                try second.write(to: URL(fileURLWithPath: folder + "/two.bin"))
                let common = Self.common(sim)
                let put = try await SkaldProcess.run(
                    ["store", "put", "one.bin", "two.bin", "--channel", channel] + common, in: folder)
                #expect(put.status == 0, "\(put.output)")
                await sim.holdAttachmentDownloads(after: 1)
                let get = try SkaldProcess(["store", "get", "one.bin", "two.bin", "--out", "got"] + common, in: folder)
                await sim.waitUntilAttachmentDownloadsHeld(1)
                get.send(SIGTERM)
                let stopped = await get.finish()
                await sim.releaseAttachmentDownloads(drop: true)
                #expect(stopped.status == 130, "\(stopped.output)")
                #expect(stopped.output.contains("interrupted by SIGTERM: 1 of 2 file(s) were downloaded"))
                let left = try FileManager.default.contentsOfDirectory(atPath: folder + "/got")
                #expect(left == ["one.bin"], "\(left)")
                #expect(FileManager.default.contents(atPath: folder + "/got/one.bin") == first)
                let rerun = try await SkaldProcess.run(
                    ["store", "get", "one.bin", "two.bin", "--out", "got"] + common, in: folder)
                #expect(rerun.status == 0, "\(rerun.output)")
                #expect(FileManager.default.contents(atPath: folder + "/got/two.bin") == second)
            }
        }
    }

    /// The store options every command here passes: 100 000-byte chunks.
    static func common(_ sim: SimulatorServer) -> [String] {
        ["--api-base", sim.apiBase, "--token", sim.tokens[0], "--db", "sqlite:s.sqlite", "--chunk-limit", "100000"]
    }

    /// `count` bytes of a pattern that no chunk repeats.
    static func patterned(_ count: Int) -> Data {
        var data = Data(count: count)
        for index in stride(from: 0, to: data.count, by: 997) { data[index] = UInt8(index % 251) }
        return data
    }

    /// A 2 GiB sparse file goes up and down through the real binary in 1 MiB chunks, streamed, and comes back whole
    /// (`get` checks every chunk's SHA-256 and the file's): each `skald` process's own peak resident set (from
    /// `wait4`, so other tests running beside this one do not count) exceeds that of a 256 MiB round trip (already
    /// at its steady state) by far less than the difference. (Speed and the release build's figures:
    /// `scripts/bench --only store`.)
    @Test func sparseFileStreamsWithFlatMemory() async throws {
        try await Self.withSimulator { sim, channel in
            try await withTemporaryFolder { folder in
                let common = [
                    "--api-base", sim.apiBase, "--token", sim.tokens[0], "--db", "sqlite:s.sqlite", "--chunk-limit",
                    "1048576", "--messages-in-flight", "2",
                ]
                let binary = try SkaldProcess.binary()
                let environment = SkaldProcess.environment()
                func peaks(_ size: UInt64, _ name: String) async throws -> (put: Int, get: Int) {
                    let path = folder + "/" + name
                    #expect(FileManager.default.createFile(atPath: path, contents: nil))
                    let handle = try #require(FileHandle(forWritingAtPath: path))
                    try handle.truncate(atOffset: size)
                    try handle.close()
                    let put = try await MeasuredProcess.run(
                        binary, ["store", "put", name, "--channel", channel] + common, in: folder,
                        environment: environment)
                    #expect(put.status == 0, "\(put.output)")
                    let get = try await MeasuredProcess.run(
                        binary, ["store", "get", name, "--out", "got"] + common, in: folder, environment: environment)
                    #expect(get.status == 0, "\(get.output)")
                    let got = folder + "/got/" + name
                    let attributes = try FileManager.default.attributesOfItem(atPath: got)
                    #expect((attributes[.size] as? NSNumber)?.uint64Value == size)
                    try FileManager.default.removeItem(atPath: got)
                    try FileManager.default.removeItem(atPath: path)
                    return (put.peakResidentBytes, get.peakResidentBytes)
                }
                let small = try await peaks(256 << 20, "warm.bin")
                let large = try await peaks(2 << 30, "sparse.bin")
                #expect(small.put > 0 && small.get > 0)
                #expect(
                    large.put - small.put < 48 << 20,
                    "put: peak RSS \(small.put >> 20) MiB for 256 MiB, \(large.put >> 20) MiB for 2 GiB")
                #expect(
                    large.get - small.get < 48 << 20,
                    "get: peak RSS \(small.get >> 20) MiB for 256 MiB, \(large.get >> 20) MiB for 2 GiB")
            }
        }
    }

    /// A folder goes up file by file (several at once), each named by its path below the folder's parent, with
    /// plain progress lines in a pipe; `get` writes each back below --out.
    @Test func folderKeepsRelativePaths() async throws {
        try await Self.withSimulator { sim, channel in try await folder(sim, channel: channel) }
    }

    func folder(_ sim: SimulatorServer, channel: String) async throws {
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

    /// `put` refuses what `get` could not write back below its --out folder (an empty, `.` or `..` part of
    /// `--name`) as a usage error, and a folder with no file as an error, before posting anything; both exited 0.
    @Test func putRefusesBadNamesAndAnEmptyFolder() async throws {
        try await Self.withSimulator { sim, channel in
            try await withTemporaryFolder { folder in
                try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/a.txt"))
                try FileManager.default.createDirectory(atPath: folder + "/empty", withIntermediateDirectories: true)
                let id = try #require(Snowflake<DiscordModels.Channel>(channel))
                let before = await sim.truthMessageCount(channel: id)
                let common = [
                    "--channel", channel, "--api-base", sim.apiBase, "--token", sim.tokens[0], "--db",
                    "sqlite:s.sqlite",
                ]
                for name in ["", "a/../../b", "/etc/x", "a//b", "./a"] {
                    let put = try await SkaldProcess.run(
                        ["store", "put", "a.txt", "--name", name] + common, in: folder)
                    #expect(put.status == 64, "\(name): \(put.output)")
                    #expect(put.output.contains("is not a name to store"), "\(name): \(put.output)")
                }
                let empty = try await SkaldProcess.run(["store", "put", "empty"] + common, in: folder)
                #expect(empty.status == 1, "\(empty.output)")
                #expect(empty.output.contains("holds no files"), "\(empty.output)")
                #expect(await sim.truthMessageCount(channel: id) == before)
            }
        }
    }

    /// A folder's pipe was opened for reading and `put` waited for a writer for ever (SIGTERM did not end it); a
    /// link inside a folder to a file outside it (`/etc/passwd`) was stored as the folder's file; a link named on its
    /// own was refused as "changed since the upload began" (its size was the link's). Now a folder keeps its regular
    /// files and names what it leaves out, a pipe named on its own is refused, a link named on its own is followed.
    @Test func putStoresRegularFilesOnlyAndFollowsALinkNamedOnItsOwn() async throws {
        try await Self.withSimulator { sim, channel in
            try await withTemporaryFolder { folder in
                let manager = FileManager.default
                try manager.createDirectory(atPath: folder + "/tree/sub", withIntermediateDirectories: true)
                try Data("kept".utf8).write(to: URL(fileURLWithPath: folder + "/tree/sub/a.txt"))
                try Data("outside".utf8).write(to: URL(fileURLWithPath: folder + "/secret.txt"))
                try manager.createSymbolicLink(atPath: folder + "/tree/link", withDestinationPath: "../secret.txt")
                #expect(mkfifo(folder + "/tree/pipe", 0o600) == 0)
                try manager.createSymbolicLink(atPath: folder + "/named", withDestinationPath: "secret.txt")
                let common = [
                    "--channel", channel, "--api-base", sim.apiBase, "--token", sim.tokens[0], "--db",
                    "sqlite:s.sqlite",
                ]
                let tree = try await SkaldProcess.run(["store", "put", "tree"] + common, in: folder)
                #expect(tree.status == 0, "\(tree.output)")
                #expect(tree.output.contains("tree/sub/a.txt"), "\(tree.output)")
                #expect(tree.output.contains("skipped tree/pipe: a device, socket or pipe"), "\(tree.output)")
                #expect(tree.output.contains("skipped tree/link: a symbolic link"), "\(tree.output)")
                let pipe = try await SkaldProcess.run(["store", "put", "tree/pipe"] + common, in: folder)
                #expect(pipe.status == 1 && pipe.output.contains("is a device, socket or pipe"), "\(pipe.output)")
                let named = try await SkaldProcess.run(["store", "put", "named"] + common, in: folder)
                #expect(named.status == 0 && named.output.contains("named  7 bytes"), "\(named.output)")
                let list = try await SkaldProcess.run(["store", "ls", "--db", "sqlite:s.sqlite"], in: folder)
                #expect(!list.output.contains("tree/link") && !list.output.contains("tree/pipe"), "\(list.output)")
            }
        }
    }

    /// Wrong options are usage errors (64) before anything is read or posted: `--chunk-limit 0` crashed the binary
    /// (a division by zero) after writing an incomplete catalogue entry; a malformed `--range` exited 1. A put into
    /// an unknown channel exits 1 and leaves no incomplete entry (`status`); `--out` a file names it.
    @Test func badOptionsAreUsageErrorsAndARefusedPutLeavesNothing() async throws {
        try await Self.withSimulator { sim, channel in
            try await withTemporaryFolder { folder in
                try Data("hello".utf8).write(to: URL(fileURLWithPath: folder + "/a.txt"))
                let common = ["--api-base", sim.apiBase, "--token", sim.tokens[0], "--db", "sqlite:s.sqlite"]
                for (arguments, mention) in [
                    (["put", "a.txt", "--channel", channel, "--chunk-limit", "0"], "--chunk-limit must be"),
                    (["put", "a.txt", "--channel", channel, "--messages-in-flight", "0"], "--messages-in-flight"),
                    (["get", "a.txt", "--passphrase-env", "A", "--key-file", "k"], "not both"),
                    (["get", "a.txt", "--range", "5-3"], "--range 5-3: write START-END"),
                    (["get", "a.txt", "--range", "5-"], "--range 5-: write START-END"),
                ] {
                    let result = try await SkaldProcess.run(["store"] + arguments + common, in: folder)
                    #expect(result.status == 64, "\(arguments): \(result.output)")
                    #expect(result.output.contains(mention), "\(arguments): \(result.output)")
                }
                #expect(!FileManager.default.fileExists(atPath: folder + "/s.sqlite"))
                // The reading commands refuse a catalogue that does not exist (before: made an empty one and
                // answered "objects: 0 complete").
                for command in [
                    ["ls"], ["status"], ["history"], ["get", "a.txt"], ["verify"], ["resume"], ["rm", "x"],
                ] {
                    let result = try await SkaldProcess.run(["store"] + command + common, in: folder)
                    #expect(result.status == 1, "\(command): \(result.output)")
                    #expect(result.output.contains("no archive at s.sqlite"), "\(command): \(result.output)")
                    #expect(!FileManager.default.fileExists(atPath: folder + "/s.sqlite"), "\(command) created it")
                }
                let refused = try await SkaldProcess.run(
                    ["store", "put", "a.txt", "--channel", "1"] + common, in: folder)
                #expect(refused.status == 1, "\(refused.output)")
                #expect(refused.output.contains("Unknown Channel"), "\(refused.output)")
                let status = try await SkaldProcess.run(["store", "status"] + common, in: folder)
                #expect(status.output.contains("0 incomplete"), "\(status.output)")
                let put = try await SkaldProcess.run(
                    ["store", "put", "a.txt", "--channel", channel] + common, in: folder)
                #expect(put.status == 0, "\(put.output)")
                let blocked = try await SkaldProcess.run(
                    ["store", "get", "a.txt", "--out", "a.txt"] + common, in: folder)
                #expect(blocked.status == 1, "\(blocked.output)")
                #expect(blocked.output.contains("a.txt is a regular file, not a folder. Name a folder with --out"))
            }
        }
    }

    /// The catalogue on PostgreSQL: put and get with `--db postgres://…`, and `migrate-store` carries a SQLite
    /// catalogue to PostgreSQL so the objects can be read from there.
    @Test(.enabled(if: TestPostgres.isWanted)) func catalogueOnPostgresAndMigrated() async throws {
        try await Self.withSimulator { sim, channel in
            let schemas = [
                TestPostgres.freshSchema(prefix: "cli_store_"), TestPostgres.freshSchema(prefix: "cli_moved_"),
            ]
            do {
                try await postgres(sim, channel: channel, schemas: schemas)
            } catch {
                await Self.drop(schemas)
                throw error
            }
            await Self.drop(schemas)
        }
    }

    func postgres(_ sim: SimulatorServer, channel: String, schemas: [String]) async throws {
        let url = try TestPostgres.requiredURL()
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
