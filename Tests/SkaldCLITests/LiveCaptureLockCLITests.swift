import DiscordSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Two live captures of one archive: `skald watch` twice, or `skald bot` beside a watch.
@Suite struct LiveCaptureLockCLITests {
    /// Both would resume the one stored gateway session in turn, each resume ending the other's connection: before,
    /// two watches on one archive made 5,480 resumes in 11 s between them. The second now refuses at once, naming the
    /// first; another shard of the same archive is not held.
    @Test func aSecondCaptureOfOneSessionRefusesNamingTheFirst() async throws {
        try await withTemporaryFolder { folder in
            let config = SimulatorConfiguration.testWorld(seed: 31, channels: 1, messages: 20, threads: 0)
            try await SimulatorServer.withRunning(config) { sim in
                let db = "sqlite:\(folder)/a.sqlite"
                let connection = ["--api-base", sim.apiBase, "--token", sim.tokens[0], "--db", db]
                let first = try SkaldProcess(["watch"] + connection, in: folder)
                let ready = await first.waitForOutput(containing: "skald-watch ready")
                #expect(ready != nil)
                for command in ["watch", "bot"] {
                    let extra = command == "bot" ? ["--http", "127.0.0.1:0"] : []
                    let second = try await SkaldProcess.run([command] + connection + extra, in: folder)
                    #expect(second.status == 1, "\(second.output)")
                    #expect(
                        second.output.contains("another skald watch or bot (pid ")
                            && second.output.contains("gateway session 0/1"), "\(second.output)")
                    #expect(!second.output.contains("skald-watch ready"))
                }
                let otherShard = try SkaldProcess(
                    ["watch", "--shards", "2", "--shard-ids", "1"] + connection, in: folder)
                let otherReady = await otherShard.waitForOutput(containing: "skald-watch ready")
                #expect(otherReady != nil)
                otherShard.send(SIGTERM)
                #expect(await otherShard.finish(prefix: otherReady ?? "").status == 0)
                first.send(SIGTERM)
                let result = await first.finish(prefix: ready ?? "")
                #expect(result.status == 0, "\(result.output)")
                #expect(result.output.contains("watch stopped:"))
                // Both captures ended: their lock files went with them (before, they stayed beside the archive).
                let locks = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".lock") }
                #expect(locks.isEmpty, "\(locks)")
            }
        }
    }
}
