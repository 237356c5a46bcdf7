import DiscordSimulator
import FluxerSimulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `skald mirror` as the user runs it: the real binary killed (SIGKILL) or interrupted (SIGINT) mid-run, then
/// rerun; `skald mirror verify` finds the target equal to the archive, nothing duplicated.
@Suite("Mirror on the command line", .serialized) struct MirrorCLITests {
    /// An archive of a generated guild in `folder/m.sqlite` and a fake Fluxer ([B]: no nonce de-duplication)
    /// whose every request takes 20 ms, so a run lasts long enough to be stopped in the middle.
    static func withArchiveAndFluxer(
        _ body: (String, FluxerSimulatorServer, [String]) async throws -> Void
    ) async throws {
        let config = SimulatorConfiguration.testWorld(seed: 29, channels: 3, messages: 50, threads: 1)
        var fluxerConfig = FluxerSimulatorConfiguration()
        fluxerConfig.flavour = .baseline
        fluxerConfig.latency = .milliseconds(20)
        try await SimulatorServer.withRunning(config) { sim in
            try await FluxerSimulatorServer.withRunning(fluxerConfig) { fluxer in
                try await withTemporaryFolder { folder in
                    let archived = try await SkaldProcess.run(
                        ["archive", "--api-base", sim.apiBase, "--token", sim.tokens[0], "--db", "sqlite:m.sqlite"],
                        in: folder)
                    #expect(archived.status == 0, "\(archived.output)")
                    let mirror = [
                        "--to", "fluxer", "--target-api", fluxer.baseURL + "/v1", "--target-token", fluxer.token,
                        "--target-guild", String(fluxer.guildID), "--db", "sqlite:m.sqlite", "--source-cdn",
                        sim.cdnBase,
                    ]
                    try await body(folder, fluxer, mirror)
                }
            }
        }
    }

    static func expectNoDuplicates(_ fluxer: FluxerSimulatorServer) async {
        let contents = await fluxer.messageContents()
        let all = contents.flatMap { name, texts in texts.map { "\(name)|\($0)" } }
        #expect(!all.isEmpty)
        #expect(all.count == Set(all).count, "duplicates on the target")
        let limited = await fluxer.rateLimited()
        #expect(limited.user == 0 && limited.global == 0)
    }

    @Test(arguments: [SIGKILL, SIGINT])
    func stoppedRunThenRerunMatchesTheArchive(signal: Int32) async throws {
        try await Self.withArchiveAndFluxer { folder, fluxer, mirror in
            let first = try SkaldProcess(["mirror"] + mirror + ["--yes"], in: folder)
            let seen = await first.waitForOutput(containing: "messages sent")
            first.send(signal)
            let stopped = await first.finish(prefix: seen ?? "")
            #expect(seen != nil, "the first run ended before a channel was complete: \(stopped.output)")
            if signal == SIGINT {
                #expect(stopped.status == 130, "\(stopped.output)")
                #expect(stopped.output.contains("Run the same command again to continue"), "\(stopped.output)")
            }
            let rerun = try await SkaldProcess.run(["mirror"] + mirror + ["--yes"], in: folder)
            #expect(rerun.status == 0, "\(rerun.output)")
            #expect(rerun.output.contains("mirror complete"))
            // The run lock's file goes with a run that ends (SIGKILL leaves it; the rerun takes it and removes it).
            let locks = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".lock") }
            #expect(locks.isEmpty, "\(locks)")
            let verify = try await SkaldProcess.run(["mirror", "verify"] + mirror, in: folder)
            #expect(verify.status == 0, "\(verify.output)")
            #expect(verify.output.contains("channels match the archive"), "\(verify.output)")
            await Self.expectNoDuplicates(fluxer)
        }
    }

    @Test func dryRunSendsNoWriteAndBadTokenStopsAtOnce() async throws {
        try await Self.withArchiveAndFluxer { folder, fluxer, mirror in
            let plan = try await SkaldProcess.run(["mirror"] + mirror + ["--dry-run"], in: folder)
            #expect(plan.status == 0, "\(plan.output)")
            #expect(plan.output.contains("dry run: nothing was sent"))
            // Off a terminal without --yes: a usage error (64) naming --yes, before anything is sent.
            let unconfirmed = try await SkaldProcess.run(["mirror"] + mirror, in: folder)
            #expect(unconfirmed.status == 64, "\(unconfirmed.output)")
            #expect(unconfirmed.output.contains("pass --yes"), "\(unconfirmed.output)")
            let routes = await fluxer.requestsByRoute()
            #expect(routes.keys.allSatisfy { $0.hasPrefix("GET") }, "\(routes)")
            var bad = mirror
            bad[bad.firstIndex(of: "--target-token")! + 1] = "wrong-token"
            let refused = try await SkaldProcess.run(["mirror"] + bad + ["--yes"], in: folder)
            #expect(refused.status == 1)
            #expect(refused.output.contains("UNAUTHORIZED"), "\(refused.output)")
            #expect(!refused.output.contains("wrong-token"))
        }
    }

    @Test func theAPIBaseOfTheDiscoveryDocumentIsUsed() async throws {
        // fluxer-api.md §1, "self-hosted: base = endpoints.api": given the instance's address, the mirror reads the
        // discovery document there and talks to the API it advertises (here `/v1` of the same server).
        try await Self.withArchiveAndFluxer { folder, fluxer, mirror in
            var atRoot = mirror
            atRoot[atRoot.firstIndex(of: "--target-api")! + 1] = fluxer.baseURL
            let plan = try await SkaldProcess.run(["mirror"] + atRoot + ["--dry-run"], in: folder)
            #expect(plan.status == 0, "\(plan.output)")
            #expect(
                plan.output.contains("target API: \(fluxer.baseURL)/v1 (endpoints.api of the instance's discovery"),
                "\(plan.output)")
            // Given the API base itself, nothing is said.
            let direct = try await SkaldProcess.run(["mirror"] + mirror + ["--dry-run"], in: folder)
            #expect(direct.status == 0 && !direct.output.contains("target API:"), "\(direct.output)")
        }
    }

    /// Bad inputs through the binary: one `error:` line naming the option to change, exit 1, nothing sent.
    @Test func anUnknownSourceGuildAndAWrongFluxerTokenNameWhatToChange() async throws {
        try await Self.withArchiveAndFluxer { folder, fluxer, mirror in
            let unknown = try await SkaldProcess.run(["mirror"] + mirror + ["--guild", "1", "--yes"], in: folder)
            #expect(unknown.status == 1, "\(unknown.output)")
            #expect(unknown.output.contains("error: guild 1 is not in the archive"), "\(unknown.output)")
            #expect(unknown.output.contains("check --guild and --db"), "\(unknown.output)")
            var bad = mirror
            bad[bad.firstIndex(of: "--target-token")! + 1] = "wrong-token"
            let refused = try await SkaldProcess.run(["mirror"] + bad + ["--yes"], in: folder)
            #expect(refused.status == 1, "\(refused.output)")
            #expect(refused.output.contains("error: target Fluxer REST unauthorized"), "\(refused.output)")
            #expect(refused.output.contains("(--target-token)"), "\(refused.output)")
            #expect(!refused.output.contains("DISCORD_TOKEN"), "\(refused.output)")
            let writes = await fluxer.requestsByRoute().filter { !$0.key.hasPrefix("GET") }
            #expect(writes.isEmpty, "\(writes)")
        }
    }

    /// Drives `skald mirror` (no --yes) through a pseudo-terminal: uncheck everything, check two channels with
    /// messages, confirm, proceed. Prints `CHOSEN a,b` and the child's output; exits with the child's status.
    static let ptyDriver = #"""
        import os, pty, re, sys
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(sys.argv[1], sys.argv[1:])
        buffer = b""
        def until(marker):
            global buffer
            while marker not in buffer:
                chunk = os.read(fd, 4096)
                if not chunk:
                    raise SystemExit("ended before " + marker.decode() + ": " + buffer.decode(errors="replace"))
                buffer += chunk
            seen, buffer = buffer, b""
            return seen.decode(errors="replace")
        screen = until(b"select> ")
        rows = re.findall(r"^\s*(\d+) \[x\]\s+#(\S+): (\d+) messages", screen, re.M)
        chosen = [(n, name) for n, name, count in rows if int(count) > 0][:2]
        print("CHOSEN " + ",".join(name for _, name in chosen))
        os.write(fd, b"n\r")
        until(b"select> ")
        os.write(fd, (" ".join(n for n, _ in chosen) + "\r").encode())
        until(b"select> ")
        os.write(fd, b"\r")
        until(b"Proceed? [y/N] ")
        os.write(fd, b"y\r")
        rest = b""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            rest += chunk
        print(rest.decode(errors="replace"))
        _, status = os.waitpid(pid, 0)
        sys.exit(os.waitstatus_to_exitcode(status))
        """#

    @Test func interactiveSelectionThroughAPseudoTerminal() async throws {
        try await Self.withArchiveAndFluxer { folder, fluxer, mirror in
            let script = folder + "/drive.py"
            try Self.ptyDriver.write(toFile: script, atomically: true, encoding: .utf8)
            let python = try ChildProcess(
                executable: "/usr/bin/env",
                arguments: ["python3", script, try SkaldProcess.binary(), "mirror"] + mirror,
                in: folder, environment: ProcessInfo.processInfo.environment)
            let output = await python.waitForEnd()
            let status = await python.waitForExit()
            #expect(status == 0, "\(output)")
            let chosen =
                output.split(separator: "\n").first { $0.hasPrefix("CHOSEN ") }
                .map { $0.dropFirst("CHOSEN ".count).split(separator: ",").map { $0.lowercased() } } ?? []
            #expect(chosen.count == 2, "\(output)")
            #expect(output.contains("mirror complete"), "\(output)")
            let filled = await fluxer.messageContents().filter { !$0.value.isEmpty }.map(\.key).sorted()
            #expect(filled == chosen.sorted(), "\(output)")
        }
    }
}
