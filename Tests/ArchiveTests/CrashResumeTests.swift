import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import SQLiteStore
import Testing

/// Runs the real `skald` executable, kills it with SIGKILL at random moments, reruns it, and compares the result
/// with an uninterrupted run: a crash at any instant followed by a rerun must yield the same archive.
@Suite("Crash and resume", .serialized)
struct CrashResumeTests {
    struct RunResult {
        var status: Int32
        var output: String
        var killed: Bool
    }

    /// Starts `skald archive`; kills it after `killAfter` seconds if it is still running.
    static func runSkald(_ arguments: [String], killAfter: Double? = nil) async throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ArchiveHarness.skaldBinary())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DISCORD_TOKEN"] = nil
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        var killed = false
        if let killAfter {
            let deadline = Date().addingTimeInterval(killAfter)
            while process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return RunResult(
            status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), killed: killed)
    }

    /// What must be identical between two archives: counts, and every channel's messages (ids, content, edits,
    /// tombstones, revision counts).
    static func fingerprint(_ store: any ArchiveStore) async throws -> [String] {
        var lines = ["\(try await store.stats())"]
        for channel in try await store.channels(in: nil) {
            var after: Snowflake<Message>?
            while true {
                let batch = try await store.messages(in: channel.id, after: after, limit: 500)
                guard let last = batch.last else { break }
                for message in batch {
                    lines.append(
                        "\(channel.id) \(message.id) \(message.content.hashValue) \(message.editedTimestamp?.rawValue ?? "-") "
                            + "\(message.deletedAt == nil) \(message.revisionCount)")
                }
                after = last.id
            }
        }
        return lines
    }

    @Test func killedFiveTimesThenRerunEqualsUninterruptedRun() async throws {
        var config = SimulatorConfiguration()
        config.seed = 7
        config.guilds = 2
        config.channelsPerGuild = 5
        config.messagesPerChannel = 900
        config.threadsPerGuild = 6
        config.latency = .milliseconds(15)
        config.rateLimits = .discord
        config.bucketOverrides = ["messages": .init(limit: 20, window: .seconds(1))]
        try await ArchiveHarness.withSimulator(config) { sim in
            try await ArchiveHarness.withTemporaryDirectory { dir in
                let common = ["archive", "--token", sim.tokens[0], "--api-base", sim.apiBase]
                let reference = try await Self.runSkald(common + ["--db", "sqlite:\(dir)/reference.sqlite"])
                #expect(reference.status == 0, "uninterrupted run failed: \(reference.output)")

                var generator = SystemRandomNumberGenerator()
                var kills = 0
                var attempts = 0
                while kills < 5, attempts < 12 {
                    attempts += 1
                    let delay = Double.random(in: 0.2...2.0, using: &generator)
                    let run = try await Self.runSkald(
                        common + ["--db", "sqlite:\(dir)/crashed.sqlite"], killAfter: delay)
                    if run.killed { kills += 1 } else { #expect(run.status == 0, "\(run.output)") }
                }
                #expect(kills >= 3, "the run finished before it could be killed: make the world larger")
                let final = try await Self.runSkald(common + ["--db", "sqlite:\(dir)/crashed.sqlite"])
                #expect(final.status == 0, "final run failed: \(final.output)")

                let crashed = try await Self.fingerprint(SQLiteArchiveStore(path: "\(dir)/crashed.sqlite"))
                let uninterrupted = try await Self.fingerprint(SQLiteArchiveStore(path: "\(dir)/reference.sqlite"))
                #expect(crashed.count == uninterrupted.count)
                #expect(crashed == uninterrupted)
            }
        }
    }

    @Test func badTokenExitsOneWithAClearMessage() async throws {
        var config = SimulatorConfiguration()
        config.guilds = 1
        config.channelsPerGuild = 1
        config.messagesPerChannel = 5
        try await ArchiveHarness.withSimulator(config) { sim in
            try await ArchiveHarness.withTemporaryDirectory { dir in
                let run = try await Self.runSkald([
                    "archive", "--token", "wrong-token-xyz", "--api-base", sim.apiBase, "--db",
                    "sqlite:\(dir)/a.sqlite",
                ])
                #expect(run.status == 1)
                #expect(run.output.contains("rejected the bot token"))
                #expect(!run.output.contains("wrong-token-xyz"))
                #expect(await sim.stats().requests == 1)
            }
        }
    }

    @Test func hiddenChannelsMakeNoPartialExit() async throws {
        var config = SimulatorConfiguration()
        config.guilds = 1
        config.channelsPerGuild = 5
        config.messagesPerChannel = 60
        config.rateLimits = .off
        try await ArchiveHarness.withSimulator(config) { sim in
            try await ArchiveHarness.withTemporaryDirectory { dir in
                let run = try await Self.runSkald([
                    "archive", "--token", sim.tokens[0], "--api-base", sim.apiBase, "--db", "sqlite:\(dir)/a.sqlite",
                ])
                #expect(run.status == 0, "\(run.output)")
                #expect(run.output.contains("skipped"))
                #expect(run.output.contains("Archive complete."))
            }
        }
    }
}
