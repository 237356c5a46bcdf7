import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// What the user sees when the disk fills, through the real binary: each run is given a file-size limit (`ulimit -f`
/// with SIGXFSZ ignored, so writes past it fail with `EFBIG` as they would with `ENOSPC` on a full disk), then run
/// again with room. The archive must end as one made with room all along; an export must leave no file that looks
/// complete; a download must leave nothing behind.
@Suite("A full disk on the command line", .serialized) struct FullDiskCLITests {
    /// 4 channels of 3,000 messages (two of them readable): an archive of about 12 MiB, so a 4 MiB limit stops it
    /// part way, past its migrations (their WAL alone is about 2 MiB).
    static func withSimulator<T>(_ body: (SimulatorServer) async throws -> T) async throws -> T {
        try await SimulatorServer.withRunning(.testWorld(seed: 23, channels: 4, messages: 3000), body)
    }

    static func archive(_ sim: SimulatorServer, db: String) -> [String] {
        ["archive", "--token", sim.tokens[0], "--api-base", sim.apiBase, "--db", "sqlite:\(db)"]
    }

    /// Every message (id and JSON, the CDN signatures left out: they carry the time of the request) and every
    /// channel's checkpoint of the archive at `path`.
    static func contents(of path: String) async throws -> (messages: [String], checkpoints: [String]) {
        let store = try SQLiteArchiveStore.openForReading(path: path)
        var messages: [String] = []
        for channel in try await store.channels(in: nil).sorted(by: { $0.id < $1.id }) {
            for message in try await store.messages(in: channel.id, after: nil, limit: 100_000) {
                let json = String(decoding: message.json, as: UTF8.self)
                    .replacingOccurrences(of: #"\?ex=[^"]*"#, with: "", options: .regularExpression)
                messages.append("\(message.id) \(json)")
            }
        }
        let checkpoints = try await store.checkpoints().sorted { $0.channelId < $1.channelId }.map {
            "\($0.channelId) \($0.backfillComplete) \(String(describing: $0.oldestArchivedId)) "
                + "\(String(describing: $0.newestArchivedId)) \(String(describing: $0.backfillCursor))"
        }
        return (messages, checkpoints)
    }

    /// Runs `arguments` under a file-size limit of `bytes`: it must exit 1 with one `error:` line holding every
    /// phrase of `expected`; returns that line.
    @discardableResult
    static func failsForWantOfRoom(
        _ arguments: [String], in folder: String, limit bytes: Int, saying expected: [String]
    ) async throws -> String {
        let run = try await SkaldProcess(arguments, in: folder, fileSizeLimit: bytes).finish()
        #expect(run.status == 1, "\(run.output)")
        let line = String(try #require(run.output.split(separator: "\n").last { $0.hasPrefix("error: ") }))
        for phrase in expected { #expect(line.contains(phrase), "\(line)") }
        return line
    }

    @Test func archiveStopsWithTheLimitNamedAndTheRerunEqualsARunWithRoom() async throws {
        try await Self.withSimulator { sim in
            try await withTemporaryFolder { folder in
                try await Self.failsForWantOfRoom(
                    Self.archive(sim, db: "a.sqlite"), in: folder, limit: 4 << 20,
                    saying: [
                        "a.sqlite", "file-size limit", "then run the same command again: it resumes where it stopped",
                    ])

                // Stopped part way: what was committed is whole (every page with its checkpoint).
                let stopped = try await Self.contents(of: folder + "/a.sqlite")

                let rerun = try await SkaldProcess.run(Self.archive(sim, db: "a.sqlite"), in: folder)
                #expect(rerun.status == 0, "\(rerun.output)")
                let reference = try await SkaldProcess.run(Self.archive(sim, db: "b.sqlite"), in: folder)
                #expect(reference.status == 0, "\(reference.output)")

                let resumed = try await Self.contents(of: folder + "/a.sqlite")
                let withRoom = try await Self.contents(of: folder + "/b.sqlite")
                #expect(stopped.messages.count < withRoom.messages.count, "the limit did not stop the run")
                #expect(Set(stopped.messages).isSubset(of: withRoom.messages))
                #expect(resumed.messages == withRoom.messages)
                #expect(resumed.checkpoints == withRoom.checkpoints)
            }
        }
    }

    @Test func exportLeavesNoFileThatLooksCompleteAndSaysWhatToDo() async throws {
        try await Self.withSimulator { sim in
            try await withTemporaryFolder { folder in
                let archived = try await SkaldProcess.run(Self.archive(sim, db: "a.sqlite"), in: folder)
                #expect(archived.status == 0, "\(archived.output)")
                let export = ["export", "--db", "sqlite:a.sqlite", "--guild", "\(sim.guildIDs[0])", "--out", "o"]
                // A channel's JSON file is about 3 MiB: the first file cannot be finished.
                try await Self.failsForWantOfRoom(
                    export, in: folder, limit: 512 << 10,
                    saying: ["cannot write ", "file-size limit", "then run the same command again"])
                // Nothing half-written: no JSON file (a temporary would be hidden, and is removed too).
                let left = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/o")) ?? []
                #expect(left.isEmpty, "\(left)")

                let rerun = try await SkaldProcess.run(export, in: folder)
                #expect(rerun.status == 0, "\(rerun.output)")
                for file in try FileManager.default.contentsOfDirectory(atPath: folder + "/o") {
                    let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/o/" + file))
                    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                    let messages = try #require(object["messages"] as? [Any])
                    #expect(messages.count == object["messageCount"] as? Int, "\(file)")
                }
            }
        }
    }

    @Test func storeGetLeavesNothingBehindAndTheRerunGetsTheFile() async throws {
        try await Self.withSimulator { sim in
            try await withTemporaryFolder { folder in
                var channel = ""
                for id in sim.messageChannelIDs(guild: sim.guildIDs[0]) {
                    if let truth = await sim.truthChannel(id), truth.readable, truth.type == .guildText {
                        channel = id.description
                        break
                    }
                }
                var data = Data(count: 1_500_000)
                for index in stride(from: 0, to: data.count, by: 991) { data[index] = UInt8(index % 241) }
                try data.write(to: URL(fileURLWithPath: folder + "/k.bin"))
                let common = ["--api-base", sim.apiBase, "--token", sim.tokens[0], "--db", "sqlite:s.sqlite"]
                let put = try await SkaldProcess.run(
                    ["store", "put", "k.bin", "--channel", channel, "--chunk-limit", "500000"] + common, in: folder)
                #expect(put.status == 0, "\(put.output)")

                let get = ["store", "get", "k.bin", "--out", "got"] + common
                try await Self.failsForWantOfRoom(
                    get, in: folder, limit: 1 << 20, saying: ["cannot write ", "got/k.bin", "file-size limit"])
                let left = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/got")) ?? []
                #expect(left.isEmpty, "\(left)")

                let rerun = try await SkaldProcess.run(get, in: folder)
                #expect(rerun.status == 0, "\(rerun.output)")
                #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/got/k.bin")) == data)
            }
        }
    }
}
