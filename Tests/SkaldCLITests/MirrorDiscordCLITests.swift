import DiscordModels
import DiscordSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `skald mirror --to discord` as the user runs it, into another guild of the Discord simulator with Discord's
/// rate limits: the dry run sends no write, a bad token stops after one request, and a run killed (SIGKILL) in the
/// middle then rerun leaves the target equal to the archive (`mirror verify`), without a 429 of scope user or global.
@Suite("Mirror to Discord on the command line", .serialized) struct MirrorDiscordCLITests {
    /// An archive of guild 0 in `folder/d.sqlite`, and the mirror's flags for guild 1 of the same simulator.
    static func withArchiveAndTarget(_ body: (String, SimulatorServer, [String]) async throws -> Void) async throws {
        var config = SimulatorConfiguration.testWorld(
            seed: 37, guilds: 2, channels: 4, messages: 30, threads: 3, rateLimits: .discord)
        config.latency = .milliseconds(5)
        try await SimulatorServer.withRunning(config) { sim in
            try await withTemporaryFolder { folder in
                let archived = try await SkaldProcess.run(
                    [
                        "archive", "--api-base", sim.apiBase, "--token", sim.tokens[0], "--db", "sqlite:d.sqlite",
                        "--guild", String(sim.guildIDs[0].rawValue),
                    ], in: folder)
                #expect(archived.status == 0, "\(archived.output)")
                let mirror = [
                    "--to", "discord", "--target-api", sim.apiBase, "--target-token", sim.tokens[0],
                    "--target-guild", String(sim.guildIDs[1].rawValue), "--db", "sqlite:d.sqlite",
                    "--source-cdn", sim.cdnBase,
                ]
                try await body(folder, sim, mirror)
            }
        }
    }

    static func writes(_ sim: SimulatorServer) async -> Int {
        await sim.stats().byRoute.filter { !$0.key.hasPrefix("GET") }.values.reduce(0, +)
    }

    @Test func dryRunSendsNoWriteAndBadTokenStopsAfterOneRequest() async throws {
        try await Self.withArchiveAndTarget { folder, sim, mirror in
            let writes = await Self.writes(sim)
            let plan = try await SkaldProcess.run(["mirror"] + mirror + ["--dry-run"], in: folder)
            #expect(plan.status == 0, "\(plan.output)")
            #expect(plan.output.contains("target: Discord guild"), "\(plan.output)")
            #expect(plan.output.contains("dry run: nothing was sent"))
            #expect(plan.output.contains("+ forum"), "\(plan.output)")
            #expect(await Self.writes(sim) == writes)
            var bad = mirror
            bad[bad.firstIndex(of: "--target-token")! + 1] = "wrong-token"
            let before = await sim.stats().requests
            let refused = try await SkaldProcess.run(["mirror"] + bad + ["--yes"], in: folder)
            #expect(refused.status == 1, "\(refused.output)")
            #expect(!refused.output.contains("wrong-token"))
            #expect(await sim.stats().requests == before + 1)
        }
    }

    @Test func killedRunThenRerunMatchesTheArchive() async throws {
        try await Self.withArchiveAndTarget { folder, sim, mirror in
            let archiving = await sim.stats().rateLimited
            let first = try SkaldProcess(["mirror"] + mirror + ["--yes"], in: folder)
            let seen = await first.waitForOutput(containing: "messages sent")
            #expect(seen != nil, "the first run ended before a channel was complete")
            first.send(SIGKILL)
            _ = await first.finish(prefix: seen ?? "")
            let rerun = try await SkaldProcess.run(["mirror"] + mirror + ["--yes"], in: folder)
            #expect(rerun.status == 0, "\(rerun.output)")
            #expect(rerun.output.contains("mirror complete"), "\(rerun.output)")
            let verify = try await SkaldProcess.run(["mirror", "verify"] + mirror + ["--sample", "1000"], in: folder)
            #expect(verify.status == 0, "\(verify.output)")
            #expect(verify.output.contains("channels match the archive"), "\(verify.output)")
            // The mirror's own 429s (the archive step's hidden-limit ones aside).
            let limited = await sim.stats().rateLimited
            let user = limited.user - archiving.user
            let global = limited.global - archiving.global
            // None: the rerun's first write on each webhook waits for what the killed run spent on it (the warm
            // start; every channel writing through it counts, a thread finished just before the kill too) and goes
            // alone, so the limiter learns the rest of the bucket before the others follow.
            #expect(
                global == 0 && user == 0,
                "429s: \(user) user (\(limited.userByRoute)), \(global) global; \(rerun.output)")
        }
    }
}
