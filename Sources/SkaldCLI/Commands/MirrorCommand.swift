import ArchiveStore
import ArgumentParser
import DiscordREST
import Foundation
import Logging
import Mirror
import SQLiteStore
import SkaldConfiguration

/// `skald mirror`: clones an archived guild into a Fluxer community, resumably.
struct MirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract: "Clone an archived guild (roles, channels, overwrites, messages) into a Fluxer community.",
        discussion: """
            The source is the archive, so a mirror works offline. Every object made is recorded in the archive \
            with the write that made it: interrupt at any moment and rerun to continue, nothing is sent twice. \
            --dry-run prints the plan and sends no write.
            """
    )

    @Option(help: "The target service: fluxer.") var to: String
    @Option(name: .customLong("target-api"), help: "The target's API base, e.g. https://api.fluxer.app/v1.")
    var targetAPI: String
    @Option(name: .customLong("target-token"), help: "The target bot token (never logged).") var targetToken: String
    @Option(name: .customLong("target-guild"), help: "The target community's id.") var targetGuild: UInt64
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The source guild's id (default: the only guild of the archive).") var guild: UInt64?
    @Flag(name: .customLong("dry-run"), help: "Print the plan; send no write.") var dryRun = false
    @Flag(help: "Do not ask for confirmation (needed when not on a terminal).") var yes = false

    func validate() throws {
        guard to == "fluxer" else { throw ValidationError("--to must be fluxer (discord is not supported yet)") }
    }

    func run() async throws {
        let location = try database.location()
        let opened = try await StoreFactory.openReady(location)
        guard let store = opened as? any ArchiveStore & MirrorStore else {
            await StoreFactory.close(opened)
            throw CommandFailure.Message("mirror: this archive backend cannot record mirror progress")
        }
        do {
            try await mirror(store, location: location)
        } catch {
            await StoreFactory.close(opened)
            throw error
        }
        await StoreFactory.close(opened)
    }

    private func mirror(_ store: any ArchiveStore & MirrorStore, location: DatabaseLocation) async throws {
        let lockBase: String
        switch location {
        case .sqlite(let path): lockBase = path
        case .postgres(let postgres):
            // One machine's runs exclude each other; runs on several machines against one database do not.
            lockBase =
                FileManager.default.temporaryDirectory.appendingPathComponent(
                    "skald-\(postgres.host)-\(postgres.port)-\(postgres.database)"
                ).path
        }
        let sourceGuild = try await resolveGuild(store)
        let logger = Logger(label: "skald.mirror")
        var clientConfiguration = DiscordClientConfiguration(token: targetToken, apiBase: targetAPI)
        clientConfiguration.maxRateLimitWait = .seconds(120)
        let client = DiscordClient(configuration: clientConfiguration, logger: logger)
        do {
            let target = FluxerTarget(client: client, guild: targetGuild)
            let name = try await target.checkGuild()
            let plan = try await MirrorPlanner(store: store).plan(
                sourceGuild: sourceGuild, target: "fluxer:\(targetGuild)")
            print("target: Fluxer community \"\(name)\" (\(targetGuild))")
            for line in plan.describe() { print(line) }
            if dryRun {
                print("dry run: nothing was sent")
                try await client.shutdown()
                return
            }
            if !yes {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw CommandFailure.Message(
                        "mirror: not on a terminal and no --yes: pass --yes to mirror without confirmation")
                }
                print("Proceed? [y/N] ", terminator: "")
                guard readLine()?.lowercased().hasPrefix("y") == true else {
                    print("nothing was sent")
                    try await client.shutdown()
                    return
                }
            }
            // One run per archive and target at a time: a second one waits, then plans from what the first
            // recorded.
            let lock = try await MirrorLock.acquire(archive: lockBase, target: plan.target) { holder in
                print("another skald mirror of this archive and target is running (pid \(holder)): waiting for it")
            }
            defer { lock.release() }
            let current = try await MirrorPlanner(store: store).plan(sourceGuild: sourceGuild, target: plan.target)
            let engine = MirrorEngine(store: store, target: target, logger: logger)
            switch await Interruption.run({ try await engine.run(current) { line in print(line) } }) {
            case .finished(let outcome):
                let result = try outcome.get()
                var line =
                    "mirror complete: \(result.roles) roles, \(result.channels) channels, \(result.messages) messages sent"
                if result.recovered > 0 {
                    line += ", \(result.recovered) found on the target from an interrupted run"
                }
                print(line)
            case .interrupted(let signal):
                let left = try await MirrorPlanner(store: store).plan(
                    sourceGuild: sourceGuild, target: plan.target)
                print(
                    "interrupted by \(signal): everything sent so far is recorded; \(left.pendingMessages) messages "
                        + "left. Run the same command again to continue.")
                try? await client.shutdown()
                throw ExitCode(130)
            }
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func resolveGuild(_ store: any ArchiveStore) async throws -> UInt64 {
        if let guild { return guild }
        let guilds = try await store.objects(.guild, in: nil).map(\.id.rawValue)
        guard guilds.count == 1, let only = guilds.first else {
            throw CommandFailure.Message(
                "mirror: the archive holds \(guilds.count) guilds; choose one with --guild ID")
        }
        return only
    }
}
