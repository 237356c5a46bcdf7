import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// The real `skald watch` binary: ready line, SIGKILL then restart (resumes, exact), SIGTERM (exit 0), bad token.
@Suite("skald watch (the binary)", .serialized, .timeLimit(.minutes(10)))
struct WatchProcessTests {
    typealias H = LiveHarness

    /// A running `skald watch` whose output lines and exit wake waiting tests (event-driven: each line is a commit
    /// or note); its output is drained by a thread of its own (``TestSupport/ChildProcess``).
    final class WatchProcess: Sendable {
        let child: ChildProcess
        let signal = CommitSignal()

        init(_ arguments: [String]) throws {
            var environment = ProcessInfo.processInfo.environment
            environment["DISCORD_TOKEN"] = nil
            let signal = signal
            child = try ChildProcess(
                executable: try H.skaldBinary(), arguments: ["watch", "--log-events"] + arguments,
                environment: environment
            ) { _, _ in signal.signal() }
            Task { [child] in
                _ = await child.waitForExit()
                signal.signal()
            }
        }

        /// A process the test no longer holds is killed (a test that failed or ran out of time leaves none behind).
        deinit { child.send(SIGKILL) }

        var text: String { child.output }

        /// Waits, woken by each output line or the exit, until `condition` holds.
        func waitUntil(_ condition: () async throws -> Bool) async throws {
            try await signal.waitUntil(condition)
        }

        func waitUntilReady() async throws {
            let ready = await child.waitForOutput(containing: "skald-watch ready")
            #expect(ready != nil && !child.hasExited, "watch exited: \(text)")
        }

        /// Waits for the end of the output and the exit; returns the exit status.
        func waitForExit() async throws -> Int32 {
            _ = await child.waitForEnd()
            return await child.waitForExit()
        }

        /// Sends `signal` to the process.
        func send(_ signal: Int32) { child.send(signal) }
    }

    @Test func killedWithSIGKILLWhileMessagesArriveThenRestartedIsExactAndSIGTERMExitsZero() async throws {
        try await H.withSimulator(messages: 120) { sim in
            try await H.withTemporaryDirectory { dir in
                let path = dir + "/archive.sqlite"
                let arguments = ["--token", sim.tokens[0], "--api-base", sim.apiBase, "--db", "sqlite:\(path)"]
                let channels = sim.messageChannelIDs(guild: sim.guildIDs[0])
                let first = try WatchProcess(arguments)
                try await first.waitUntilReady()
                // Messages keep arriving; the process dies at an arbitrary point among them.
                for index in 0..<30 {
                    _ = try await H.create(sim, channel: channels[index % channels.count], content: "burst \(index)")
                    if index == 17 { first.send(SIGKILL) }
                }
                _ = try await first.waitForExit()
                let second = try WatchProcess(arguments)
                try await second.waitUntilReady()
                let store = try SQLiteArchiveStore(path: path)
                try await second.waitUntil { try await H.archiveMatchesTruth(sim, store) }
                #expect(await sim.gatewayStats().resumes >= 1)
                #expect(await sim.gatewayStats().identifies == 1)
                let revisions = try await store.stats().revisions
                #expect(revisions == 0, "a message was stored twice as an edit")
                second.send(SIGTERM)
                #expect(try await second.waitForExit() == 0, "\(second.text)")
                // Closed resumably: the simulator still holds the session.
                #expect(await sim.gatewayStats().sessions == 1)
            }
        }
    }

    /// Member events across kill -9: `watch --members` is killed among members joining, changing and leaving, and a
    /// restart (without `--members`: the archive holds members now) resumes and replays what was not committed. The
    /// archive's member list ends equal to the simulator's, each change kept once (a join committed with its session
    /// sequence is not replayed).
    @Test func memberEventsAcrossSIGKILLEndExactlyAsTheSimulatorsMembers() async throws {
        try await H.withSimulator(messages: 5) { sim in
            try await H.withTemporaryDirectory { dir in
                let path = dir + "/archive.sqlite"
                let arguments = ["--token", sim.tokens[0], "--api-base", sim.apiBase, "--db", "sqlite:\(path)"]
                let guild = sim.guildIDs[0]
                let people = await sim.truthMemberIDs(guild: guild).filter { !sim.botUserIDs.contains($0) }
                let first = try WatchProcess(arguments + ["--members"])
                try await first.waitUntilReady()
                for index in 0..<12 {
                    let user = people[index % people.count]
                    let body: [String: Any] =
                        switch index % 3 {
                        case 0: ["op": "addMember", "guildId": "\(guild)", "username": "joiner_\(index)"]
                        case 1: ["op": "updateMember", "guildId": "\(guild)", "userId": "\(user)", "nick": "n\(index)"]
                        default: ["op": "removeMember", "guildId": "\(guild)", "userId": "\(user)"]
                        }
                    try await H.post(sim, "/__sim/mutate", body)
                    if index == 7 { first.send(SIGKILL) }
                }
                _ = try await first.waitForExit()
                let second = try WatchProcess(arguments)
                try await second.waitUntilReady()
                let store = try SQLiteArchiveStore(path: path)
                try await second.waitUntil {
                    try await LiveCaptureTests.storedMemberIDs(store, guild: guild)
                        == (await sim.truthMemberIDs(guild: guild))
                }
                #expect(await sim.gatewayStats().identifies == 1)
                second.send(SIGTERM)
                #expect(try await second.waitForExit() == 0, "\(second.text)")
            }
        }
    }

    @Test func aBadTokenExitsOneWithAClearMessage() async throws {
        try await H.withSimulator(messages: 5) { sim in
            try await H.withTemporaryDirectory { dir in
                let watch = try WatchProcess([
                    "--token", "wrong-token", "--api-base", sim.apiBase, "--db", "sqlite:\(dir)/a.sqlite",
                ])
                #expect(try await watch.waitForExit() == 1)
                #expect(watch.text.contains("token"))
                #expect(!watch.text.contains("wrong-token"))
                #expect(await sim.gatewayStats().identifies <= 1)
            }
        }
    }

    /// With shards, the ready line waits for every shard to be live (caught up or resumed): before, it came with the
    /// first shard, while the others still waited for their turn to identify, so an edit or a deletion a script made
    /// once it read the line could happen before its shard connected, and be missed.
    @Test func withShardsTheReadyLineWaitsForEveryShard() async throws {
        try await H.withSimulator(messages: 5, guilds: 2) { sim in
            try await H.withTemporaryDirectory { dir in
                let watch = try WatchProcess([
                    "--token", sim.tokens[0], "--api-base", sim.apiBase, "--db", "sqlite:\(dir)/a.sqlite",
                    "--shards", "2",
                ])
                try await watch.waitUntilReady()
                let beforeReady = watch.text.components(separatedBy: "skald-watch ready")[0]
                #expect(beforeReady.components(separatedBy: "caught up; watching").count - 1 == 2, "\(watch.text)")
                watch.send(SIGTERM)
                #expect(try await watch.waitForExit() == 0)
            }
        }
    }

    /// More shards than Discord's identify budget allows today (`session_start_limit.remaining`) are refused before
    /// the archive is opened or any shard connects; before, the shards past the budget waited for its reset.
    @Test func moreShardsThanTheIdentifyBudgetAreRefusedBeforeConnecting() async throws {
        try await H.withSimulator(messages: 5) { sim in
            try await H.withTemporaryDirectory { dir in
                let watch = try WatchProcess([
                    "--token", sim.tokens[0], "--api-base", sim.apiBase, "--db", "sqlite:\(dir)/a.sqlite",
                    "--shards", "5000",
                ])
                #expect(try await watch.waitForExit() == 1)
                #expect(watch.text.contains("--shards asks for 5000 gateway sessions"), "\(watch.text)")
                #expect(await sim.gatewayStats().identifies == 0)
                #expect(!FileManager.default.fileExists(atPath: dir + "/a.sqlite"))
            }
        }
    }

    @Test func aWatchStartedDuringAnEdgeBanSaysSoOnceWaitsWithoutSendingAndStopsOnSIGINT() async throws {
        var config = SimulatorConfiguration.testWorld(seed: 41, channels: 1, messages: 5)
        config.invalidRequestThreshold = 3
        try await SimulatorServer.withRunningWithinDeadline(config) { sim in
            try await H.withTemporaryDirectory { dir in
                try await SimulatorAdmin.earnBan(sim, invalidAnswers: 3)
                let watch = try WatchProcess([
                    "--token", sim.tokens[0], "--api-base", sim.apiBase, "--db", "sqlite:\(dir)/a.sqlite",
                ])
                try await watch.waitUntil { watch.text.contains("refusing requests from this IP address") }
                #expect(watch.text.contains("watch: Discord's edge is refusing requests"), "\(watch.text)")
                #expect(watch.text.contains("REST requests are paused"), "\(watch.text)")
                // The next probe is minutes away: the one refused request is all it sent (no exit, no spin).
                #expect(await sim.stats().bannedResponses == 1)
                watch.send(SIGINT)
                #expect(try await watch.waitForExit() == 0, "\(watch.text)")
                #expect(await sim.stats().bannedResponses == 1)
            }
        }
    }
}
