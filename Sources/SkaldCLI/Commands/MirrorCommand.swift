import ArchiveStore
import ArgumentParser
import DiscordREST
import Foundation
import Logging
import Mirror
import PostgresStore
import SQLiteStore
import SkaldConfiguration

/// `skald mirror`: clones an archived guild into a Fluxer community or a Discord guild, resumably.
struct MirrorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirror",
        abstract:
            "Clone an archived guild (roles, channels, overwrites, messages) into a Fluxer community or a Discord guild.",
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
        name: .customLong("source-token"),
        help: ArgumentHelp(
            "A bot token of the source guild (default: DISCORD_TOKEN), used only to renew expired attachment URLs "
                + "(POST /attachments/refresh-urls) for files not in the media folder; never logged.",
            valueName: "token"))
    var sourceToken: String?
    @Option(name: .customLong("source-api"), help: "The source's API base (for --source-token).")
    var sourceAPI = "https://discord.com/api/v10"
    @Option(
        name: .customLong("source-cdn"),
        help: "Where emoji and sticker images are fetched from (the source's CDN); 'none' mirrors neither.")
    var sourceCDN = "https://cdn.discordapp.com"

    func run() async throws {
        // A run that would ask for a confirmation it cannot get is a usage error, found before anything is read or
        // sent (here, not in `validate()`, which `mirror verify` runs too).
        if !yes && !dryRun && isatty(STDIN_FILENO) != 1 {
            throw ValidationError(
                "not on a terminal, so mirror cannot ask for confirmation: pass --yes to mirror without it "
                    + "(or --dry-run to see the plan)")
        }
        let location = try options.database.location()
        let logger = Logger(label: "skald.mirror")
        // The source's client renews expired attachment URLs; without a token such files are linked.
        let token = sourceToken ?? ProcessInfo.processInfo.environment["DISCORD_TOKEN"]
        var sources = DiscordClientFactory(apiBase: sourceAPI, logger: logger)
        sources.configure = {
            $0.service = RESTService(
                name: "source Discord", tokenOption: "--source-token or DISCORD_TOKEN", apiOption: "--source-api")
        }
        let source = token.map { sources.client(token: $0) }
        do {
            try await StoreFactory.withExisting(location) { store in
                try await mirror(store, location: location, source: source)
            }
        } catch {
            try? await source?.shutdown()
            throw error
        }
        try? await source?.shutdown()
    }

    private func mirror(
        _ store: any ArchiveStore & MirrorStore, location: DatabaseLocation, source: DiscordClient?
    ) async throws {
        let sourceGuild = try await options.sourceGuild(in: store)
        let logger = Logger(label: "skald.mirror")
        try await options.withTarget(logger: logger, say: Self.say) { target in
            let keepTypes = target.keepsChannelTypes
            let name = try await target.checkGuild()
            try await target.checkService()
            let plan = try await MirrorPlanner(store: store).plan(
                sourceGuild: sourceGuild, target: options.targetKey, only: options.selection,
                excluding: Set(options.excludedChannels), after: options.after?.snowflake.rawValue,
                keepingChannelTypes: keepTypes)
            Self.say("target: \(target.service.communityNoun) \"\(name)\" (\(options.targetGuild))")
            for line in plan.describe() { Self.say(line) }
            if dryRun {
                Self.say("dry run: nothing was sent")
                return
            }
            var only = options.selection
            var excluded = Set(options.excludedChannels)
            if !yes {
                // Standard input is a terminal here (`validate()`).
                if options.selection == nil && options.excludedChannels.isEmpty {
                    (only, excluded) = Self.select(from: plan)
                    let chosen = try await MirrorPlanner(store: store).plan(
                        sourceGuild: sourceGuild, target: plan.target, only: only, excluding: excluded,
                        after: options.after?.snowflake.rawValue, keepingChannelTypes: keepTypes)
                    for line in chosen.describe() { Self.say(line) }
                }
                Console.raw("Proceed? [y/N] ")
                guard readLine()?.lowercased().hasPrefix("y") == true else {
                    Self.say("nothing was sent")
                    return
                }
            }
            // One run per archive and target at a time: a second one waits, then plans from what the first
            // recorded.
            let lock = try await Self.lock(store, location: location, target: plan.target)
            defer { lock.release() }
            var configured = MirrorEngine(store: store, target: target, logger: logger)
            configured.attachments = MirrorAttachments(
                mediaRoot: mediaRoot ?? location.defaultMediaDirectory, caps: options.uploadCaps(for: target))
            if let source {
                configured.attachments?.refreshURLs = { try await source.refreshAttachmentURLs($0) }
            }
            configured.sourceCDN = sourceCDN == "none" ? nil : sourceCDN
            let engine = configured
            // Planned from what the archive recorded (another run may have gone first), and again after the target
            // failed for a while (5xx, network): the run goes on by itself (MirrorResumption).
            let (after, chosen, left) = (options.after?.snowflake.rawValue, only, excluded)
            let planning: @Sendable () async throws -> MirrorPlan = {
                try await MirrorPlanner(store: store).plan(
                    sourceGuild: sourceGuild, target: plan.target, only: chosen, excluding: left, after: after,
                    keepingChannelTypes: keepTypes)
            }
            let run: @Sendable () async throws -> MirrorEngine.Result = {
                try await engine.run(planning: planning, clock: ContinuousClock()) { line in Self.say(line) }
            }
            let result = try await Interruption.runOrStop(run) { _ in
                let left = try await planning()
                return "everything sent so far is recorded; \(left.pendingMessages) messages left. Run the same "
                    + "command again to continue."
            }
            var line =
                "mirror complete: \(result.roles) roles, \(result.channels) channels, "
                + "\(result.expressions) emojis and stickers, \(result.messages) messages sent"
            if result.recovered > 0 {
                line += ", \(result.recovered) found on the target from an interrupted run"
            }
            Self.say(line)
        }
    }

    /// One run per archive and target: a lock file beside an SQLite archive (`flock`), a session advisory lock on
    /// PostgreSQL (held by a connection of its own, so runs on several machines exclude each other too). A second run
    /// waits for the first.
    static func lock(_ store: any ArchiveStore, location: DatabaseLocation, target: String) async throws -> RunLock {
        try await RunLock.acquire(location, kind: .mirror, subject: target) { holder in
            say("another skald mirror of this archive and target is running (\(holder)): waiting for it")
        }
    }

    /// The interactive selector: the plan's channels as a checked tree; row numbers toggle, `a` all, `n` none, an
    /// empty line confirms. Returns the channels to mirror (nil: all of them) and those unchecked.
    static func select(from plan: MirrorPlan) -> (only: Set<UInt64>?, excluding: Set<UInt64>) {
        var selection = MirrorSelection(plan: plan)
        say("choose what to mirror: type row numbers to check/uncheck, a (all), n (none), Enter to confirm")
        while true {
            for line in selection.lines { say(line) }
            Console.raw("select> ")
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
        Console.out(line)
    }
}
