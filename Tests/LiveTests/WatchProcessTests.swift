import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import SQLiteStore
import Testing

/// The real `skald watch` binary: ready line, SIGKILL then restart (resumes, exact), SIGTERM (exit 0), bad token.
@Suite("skald watch (the binary)", .serialized, .timeLimit(.minutes(3)))
struct WatchProcessTests {
    typealias H = LiveHarness

    /// A running `skald watch` whose output lines wake waiting tests (event-driven: each line is a commit or note).
    final class WatchProcess: @unchecked Sendable {
        // @unchecked Sendable: `output` and `ended` are only touched while holding `lock`.
        let process = Process()
        let signal = CommitSignal()
        private let lock = NSLock()
        private var output = ""
        private var ended = false

        init(_ arguments: [String]) throws {
            process.executableURL = URL(fileURLWithPath: try H.skaldBinary())
            process.arguments = ["watch", "--log-events"] + arguments
            var environment = ProcessInfo.processInfo.environment
            environment["DISCORD_TOKEN"] = nil
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self else { return }
                if data.isEmpty {
                    handle.readabilityHandler = nil
                    self.lock.withLock { self.ended = true }
                } else {
                    self.lock.withLock { self.output += String(decoding: data, as: UTF8.self) }
                }
                self.signal.signal()
            }
            process.terminationHandler = { [weak self] _ in self?.signal.signal() }
            try process.run()
        }

        var text: String { lock.withLock { output } }

        /// Whether the process closed its output (everything it wrote has been read).
        var outputEnded: Bool { lock.withLock { ended } }

        /// Waits, woken by each output line or the exit, until `condition` holds.
        func waitUntil(_ condition: () async throws -> Bool) async throws {
            try await signal.waitUntil(condition)
        }

        func waitUntilReady() async throws {
            try await waitUntil { self.text.contains("skald-watch ready") || !self.process.isRunning }
            #expect(process.isRunning, "watch exited: \(text)")
        }

        func waitForExit() async throws -> Int32 {
            try await waitUntil { !self.process.isRunning && self.outputEnded }
            return process.terminationStatus
        }
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
                    if index == 17 { kill(first.process.processIdentifier, SIGKILL) }
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
                kill(second.process.processIdentifier, SIGTERM)
                #expect(try await second.waitForExit() == 0, "\(second.text)")
                // Closed resumably: the simulator still holds the session.
                #expect(await sim.gatewayStats().sessions == 1)
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
}
