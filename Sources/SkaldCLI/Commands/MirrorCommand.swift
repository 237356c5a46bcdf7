import ArchiveStore
import ArgumentParser
import DiscordREST
import Foundation
import Logging
import Mirror
import PostgresStore
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
            --dry-run prints the plan and sends no write. `skald mirror verify` compares the target with the \
            archive.
            """,
        subcommands: [MirrorVerifyCommand.self]
    )

    @OptionGroup var options: MirrorTargetOptions
    @Flag(name: .customLong("dry-run"), help: "Print the plan; send no write.") var dryRun = false
    @Flag(help: "Do not ask for confirmation (needed when not on a terminal).") var yes = false
    @Option(
        name: .customLong("media-root"),
        help: ArgumentHelp(
            "The archive's media folder (default: media/ beside an SQLite archive); files not there are fetched "
                + "from their stored URL.", valueName: "dir"))
    var mediaRoot: String?
    @Option(
        name: .customLong("target-file-limit-mb"),
        help: "The target's largest file in MiB (Fluxer: 25); larger attachments are linked with a note.")
    var fileLimitMB = 25
    @Option(
        name: .customLong("source-cdn"),
        help: "Where emoji and sticker images are fetched from (the source's CDN); 'none' mirrors neither.")
    var sourceCDN = "https://cdn.discordapp.com"

    func run() async throws {
        let location = try options.database.location()
        let store = try await StoreFactory.openReady(location)
        do {
            try await mirror(store, location: location)
        } catch {
            await StoreFactory.close(store)
            throw error
        }
        await StoreFactory.close(store)
    }

    private func mirror(_ store: any ArchiveStore & MirrorStore, location: DatabaseLocation) async throws {
        let sourceGuild = try await options.sourceGuild(in: store)
        let logger = Logger(label: "skald.mirror")
        var clientConfiguration = DiscordClientConfiguration(token: options.targetToken, apiBase: options.targetAPI)
        clientConfiguration.maxRateLimitWait = .seconds(120)
        let client = DiscordClient(configuration: clientConfiguration, logger: logger)
        do {
            let target = FluxerTarget(client: client, guild: options.targetGuild)
            let name = try await target.checkGuild()
            let plan = try await MirrorPlanner(store: store).plan(
                sourceGuild: sourceGuild, target: options.targetKey, only: options.selection,
                excluding: Set(options.excludedChannels), after: options.after?.snowflake.rawValue)
            Self.say("target: Fluxer community \"\(name)\" (\(options.targetGuild))")
            for line in plan.describe() { Self.say(line) }
            if dryRun {
                Self.say("dry run: nothing was sent")
                try await client.shutdown()
                return
            }
            var only = options.selection
            var excluded = Set(options.excludedChannels)
            if !yes {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw CommandFailure.Message(
                        "mirror: not on a terminal and no --yes: pass --yes to mirror without confirmation")
                }
                if options.selection == nil && options.excludedChannels.isEmpty {
                    (only, excluded) = Self.select(from: plan)
                    let chosen = try await MirrorPlanner(store: store).plan(
                        sourceGuild: sourceGuild, target: plan.target, only: only, excluding: excluded,
                        after: options.after?.snowflake.rawValue)
                    for line in chosen.describe() { Self.say(line) }
                }
                FileHandle.standardOutput.write(Data("Proceed? [y/N] ".utf8))
                guard readLine()?.lowercased().hasPrefix("y") == true else {
                    Self.say("nothing was sent")
                    try await client.shutdown()
                    return
                }
            }
            // One run per archive and target at a time: a second one waits, then plans from what the first
            // recorded.
            let lock = try await Self.lock(store, location: location, target: plan.target)
            defer { lock.release() }
            let current = try await MirrorPlanner(store: store).plan(
                sourceGuild: sourceGuild, target: plan.target, only: only,
                excluding: excluded, after: options.after?.snowflake.rawValue)
            var configured = MirrorEngine(store: store, target: target, logger: logger)
            configured.attachments = MirrorAttachments(
                mediaRoot: mediaRoot ?? location.defaultMediaDirectory,
                caps: .init(perFile: Int64(max(1, fileLimitMB)) << 20))
            configured.sourceCDN = sourceCDN == "none" ? nil : sourceCDN
            let engine = configured
            switch await Interruption.run({ try await engine.run(current) { line in Self.say(line) } }) {
            case .finished(let outcome):
                let result = try outcome.get()
                var line =
                    "mirror complete: \(result.roles) roles, \(result.channels) channels, "
                    + "\(result.expressions) emojis and stickers, \(result.messages) messages sent"
                if result.recovered > 0 {
                    line += ", \(result.recovered) found on the target from an interrupted run"
                }
                Self.say(line)
            case .interrupted(let signal):
                let left = try await MirrorPlanner(store: store).plan(
                    sourceGuild: sourceGuild, target: plan.target, only: only,
                    excluding: excluded, after: options.after?.snowflake.rawValue)
                Self.say(
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

    /// One run per archive and target: a lock file beside an SQLite archive (`flock`), a session advisory lock on
    /// PostgreSQL (held by a connection of its own, so runs on several machines exclude each other too).
    static func lock(_ store: any ArchiveStore, location: DatabaseLocation, target: String) async throws -> RunLock {
        let waiting: @Sendable (String) -> Void = { holder in
            say("another skald mirror of this archive and target is running (\(holder)): waiting for it")
        }
        if case .sqlite(let path) = location {
            let lock = try await MirrorLock.acquire(archive: path, target: target) { waiting("pid \($0)") }
            return RunLock { lock.release() }
        }
        guard let postgres = store as? PostgresArchiveStore else {
            throw CommandFailure.Message("mirror: this archive cannot hold a run lock")
        }
        let lock = try await PostgresMirrorLock.acquire(store: postgres, target: target, waiting: waiting)
        return RunLock { Task { await lock.release() } }
    }

    /// A held run lock.
    struct RunLock {
        let release: () -> Void
    }

    /// The interactive selector: the plan's channels as a checked tree; row numbers toggle, `a` all, `n` none, an
    /// empty line confirms. Returns the channels to mirror (nil: all of them) and those unchecked.
    static func select(from plan: MirrorPlan) -> (only: Set<UInt64>?, excluding: Set<UInt64>) {
        var selection = MirrorSelection(plan: plan)
        say("choose what to mirror: type row numbers to check/uncheck, a (all), n (none), Enter to confirm")
        while true {
            for line in selection.lines { say(line) }
            FileHandle.standardOutput.write(Data("select> ".utf8))
            guard let line = readLine() else { break }
            switch selection.apply(line) {
            case .confirmed:
                let all = Set(selection.rows.filter { !$0.isCategory }.map(\.id))
                let chosen = selection.selectedChannels
                return chosen == all ? (nil, []) : (chosen, all.subtracting(chosen))
            case .again: continue
            case .unknown(let why): say(why)
            }
        }
        let all = Set(selection.rows.filter { !$0.isCategory }.map(\.id))
        return (selection.selectedChannels, all.subtracting(selection.selectedChannels))
    }

    /// Writes one line to standard output at once (unbuffered: progress shows as it happens, also in a pipe).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
