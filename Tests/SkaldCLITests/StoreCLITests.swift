import DiscordSimulator
import Foundation
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
            #expect(put.waitForOutput(containing: "posted chunks 0-9 of 25") != nil)
            put.send(SIGKILL)
            _ = put.finish()
            let resumed = try SkaldProcess.run(["store", "resume"] + common, in: folder)
            #expect(resumed.status == 0, "\(resumed.output)")
            #expect(resumed.output.contains("complete"))
            // Every chunk once, plus the manifest once.
            #expect(sim.uploadCounts().attachments == 26)
            let got = try SkaldProcess.run(["store", "get", "k.bin", "--out", "got"] + common, in: folder)
            #expect(got.status == 0, "\(got.output)")
            #expect(FileManager.default.contents(atPath: folder + "/got/k.bin") == data)
            let wrong = try SkaldProcess.run(
                ["store", "verify", "nothing-like-this"] + common, in: folder)
            #expect(wrong.status == 1)
            #expect(wrong.output.contains("error: no stored object is called nothing-like-this"))
        }
    }
}
