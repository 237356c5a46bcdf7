import ArchiveStore
import DiscordSimulator
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// `skald archive` when Discord's edge refuses the IP address (the simulator's invalid-request ban, earned by
/// another program): one clear line, exit 1, nothing more sent into the ban, nothing stored lost.
@Suite("Edge ban on the command line", .serialized) struct EdgeBanCLITests {
    @Test(arguments: [429, 403]) func archiveStopsAtOnceSaysWhyAndKeepsWhatItHas(status: Int) async throws {
        var config = SimulatorConfiguration.testWorld(seed: 29, channels: 2, messages: 40)
        config.invalidRequestThreshold = 3
        config.banStatus = status
        try await SimulatorServer.withRunning(config) { sim in
            try await withTemporaryFolder { folder in
                let arguments = [
                    "archive", "--token", sim.tokens[0], "--api-base", sim.apiBase, "--db", "sqlite:a.sqlite",
                ]
                let first = try await SkaldProcess.run(arguments, in: folder)
                #expect(first.status == 0, "\(first.output)")
                let kept = try await SQLiteArchiveStore.openForReading(path: folder + "/a.sqlite").stats().messages
                #expect(kept > 0)
                try await SimulatorAdmin.earnBan(sim, invalidAnswers: 3)
                let before = await sim.stats().requests

                let banned = try await SkaldProcess.run(arguments, in: folder)
                #expect(banned.status == 1, "\(banned.output)")
                let line = banned.output
                #expect(line.contains("error: Discord's edge is refusing requests from this IP address"), "\(line)")
                #expect(line.contains("HTTP \(status)") && line.contains("invalid-request ban"), "\(line)")
                #expect(line.contains("this or another program on the address"), "\(line)")
                #expect(line.contains("about an hour") && line.contains("nothing stored was lost"), "\(line)")
                #expect(line.contains("Run the same command again later"), "\(line)")
                #expect(!line.contains("permission is missing") && !line.contains("configured maximum"), "\(line)")
                // Only the requests of the first round trip (the user and the guild list, sent together) met the ban.
                let sent = await sim.stats().requests - before
                #expect(sent <= 2, "sent \(sent) requests into the ban")

                let after = try await SQLiteArchiveStore.openForReading(path: folder + "/a.sqlite").stats().messages
                #expect(after == kept)
            }
        }
    }
}
