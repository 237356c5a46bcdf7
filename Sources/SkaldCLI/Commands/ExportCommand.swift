import Archive
import ArchiveStore
import ArgumentParser
import ConsoleKitTerminal
import DiscordModels
import Export
import FileSafety
import Foundation
import SkaldConfiguration

/// `skald export`: DiscordChatExporter-compatible files from the archive.
struct ExportCommand: AsyncParsableCommand, Sendable {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export channels as DiscordChatExporter JSON, HTML, CSV or plain text.",
        discussion: """
            Writes DCE 2.47's formats from the archive (and from imported DCE files). With --window, writes \
            DIR/channel=<id>/backfill/dt=YYYY/MM/DD/dce-part-NNNNN.json on the first run and only new messages \
            under DIR/channel=<id>/incremental/run=<YYYYMMDD-HHMMSS>/ afterwards, with _state/manifest.json and \
            _state/state.json. Exit 1 on errors.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("guild"), help: "Export every channel of this guild.") var guild: Snowflake<Guild>?
    @Option(name: .customLong("channel"), help: "A channel or thread to export (repeatable).")
    var channels: [Snowflake<Channel>] = []
    @Option(name: .customLong("format"), help: "json, html-dark, html-light, csv or txt.") var format = "json"
    @Option(name: .customLong("out"), help: "The output folder.") var out: String
    @Option(name: .customLong("output"), help: "DCE output path template (%g %G %t %T %c %C %p %P %a %b %d %%).")
    var template: String?
    @Option(
        name: .customLong("after"),
        help: ArgumentHelp("Only messages after this id or date (2024-01-31).", valueName: "id|date"),
        transform: MessageBound.parse)
    var after: MessageBound?
    @Option(
        name: .customLong("before"),
        help: ArgumentHelp("Only messages before this id or date (2024-01-31).", valueName: "id|date"),
        transform: MessageBound.parse)
    var before: MessageBound?
    @Option(name: .customLong("partition"), help: "Split files after N messages or at a size (10mb).")
    var partition: String?
    @Option(name: .customLong("include-threads"), help: "none, active or all.") var includeThreads = "none"
    @Option(name: .customLong("markdown"), help: "Replace mentions and emoji markup in text (true|false).")
    var markdown = true
    @Flag(name: .customLong("utc"), help: "Write timestamps in UTC instead of local time.") var utc = false
    @Option(
        name: .customLong("newline"),
        help: "Line ending of JSON, CSV and text files: lf (DCE on Linux and macOS) or crlf (DCE on Windows).")
    var newline = "lf"
    @Flag(
        name: .customLong("media"),
        help: ArgumentHelp(
            "Link the archive's downloaded attachments and download the other assets DCE downloads (avatars, icons, "
                + "emoji, stickers, embed media) into --media-dir; each URL becomes the file's path (as DCE: relative "
                + "inside the output folder, else absolute). An asset that cannot be downloaded keeps its URL."))
    var media = false
    @Option(
        name: .customLong("media-dir"),
        help: ArgumentHelp(
            "Where --media downloads assets (default: DCE's '<output file>_Files/' beside each file); files already "
                + "there are reused.", valueName: "dir"))
    var mediaDir: String?
    @Option(
        name: .customLong("cdn"),
        help: ArgumentHelp(
            "Download cdn.discordapp.com and media.discordapp.net assets from this address instead (a simulator's "
                + "http://127.0.0.1:PORT/cdn); the export still writes Discord's URLs.", valueName: "url"))
    var cdn: String?
    @Flag(
        name: .customLong("discord-media-only"),
        help:
            "With --media, download from Discord's CDN only: Twemoji images and embeds' outside media keep their URLs.")
    var discordMediaOnly = false
    @Option(
        name: .customLong("media-root"),
        help: "The archive's media folder (default: media/ beside an SQLite archive); links are relative to each file.")
    var mediaRoot: String?
    @Flag(name: .customLong("include-deleted"), help: "Also export messages deleted on Discord.")
    var includeDeleted = false
    @Option(name: .customLong("window"), help: "Windowed export with a manifest: hour, day or week.")
    var window: String?
    @Flag(
        name: .customLong("repair"),
        help: ArgumentHelp(
            "With --window: first write again, from the archive, every file that is missing or differs from the "
                + "manifest (what `skald verify` reports), then export what is new."))
    var repair = false

    func validate() throws {
        if guild == nil && channels.isEmpty { throw ValidationError("give --guild ID or --channel ID") }
        guard ExportFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be json, html-dark, html-light, csv or txt")
        }
        if let partition, PartitionLimit(parsing: partition) == nil {
            throw ValidationError("--partition must be a message count or a size like 10mb")
        }
        guard newline == "lf" || newline == "crlf" else {
            throw ValidationError("--newline must be lf or crlf")
        }
        guard ThreadInclusion(rawValue: includeThreads) != nil else {
            throw ValidationError("--include-threads must be none, active or all")
        }
        if let window, ExportWindow(rawValue: window) == nil {
            throw ValidationError("--window must be hour, day or week")
        }
        if window != nil, format != ExportFormat.json.rawValue {
            throw ValidationError("--window writes DCE JSON only; drop --format \(format) or use --format json")
        }
        if !media, mediaDir != nil || cdn != nil || discordMediaOnly {
            throw ValidationError(
                "--media-dir, --cdn and --discord-media-only are for --media downloads: add --media, or drop them")
        }
        if let cdn, !(cdn.hasPrefix("http://") || cdn.hasPrefix("https://")) {
            throw ValidationError("--cdn must be an http(s) address, like http://127.0.0.1:8080/cdn")
        }
        if window != nil, mediaDir != nil || cdn != nil || discordMediaOnly {
            throw ValidationError(
                "--window --media links the attachments `skald archive --media` downloaded and downloads nothing: drop "
                    + "--media-dir, --cdn and --discord-media-only")
        }
        if repair, window == nil {
            throw ValidationError("--repair mends a windowed export: give the --window the export was written with")
        }
        if window != nil, template != nil {
            throw ValidationError(
                "--window names its own files (channel=<id>/backfill/dt=…/dce-part-NNNNN.json); drop --output")
        }
        if let after, let before, after.snowflake >= before.snowflake {
            throw ValidationError(
                "--after \(after.text) is not earlier than --before \(before.text): no message can be in that range; "
                    + "swap them")
        }
    }

    func run() async throws {
        let mode = OutputMode.detect()
        let command = self
        // SIGINT/SIGTERM: the file being written is removed, the files already written are complete.
        try await Interruption.runOrStop(mode: mode) {
            try await command.export(mode: mode)
        } kept: { _ in
            "the file being written was removed; the files written before it are complete. Run the same command "
                + "again to export everything."
        }
    }

    private func export(mode: OutputMode) async throws {
        let location = try database.location()
        let store = try StoreFactory.openForReading(location)
        var options = DCEExportOptions()
        options.format = ExportFormat(rawValue: format) ?? .json
        options.timeZone = utc ? .utc : .local
        options.markdown = markdown
        options.newline = newline == "crlf" ? "\r\n" : "\n"
        options.after = after?.snowflake.rawValue
        options.before = before?.snowflake.rawValue
        options.partition = partition.flatMap(PartitionLimit.init(parsing:))
        options.includeThreads = ThreadInclusion(rawValue: includeThreads) ?? .none
        options.includeDeleted = includeDeleted
        options.media = media
        // Media paths in the archive are relative to its media folder (beside an SQLite archive).
        options.mediaRoot = mediaRoot ?? location.defaultMediaDirectory
        if media, let mediaRoot, !FileDestination.kind(at: mediaRoot).isFolder {
            // Before, every link pointed into a folder that is not there (exit 0).
            throw CommandFailure.Message(
                "no media folder at \(mediaRoot): pass --media-root with the folder `skald archive --media` "
                    + "downloaded into, or export without --media")
        }
        options.outputTemplate = template
        let failures = AssetFailures()
        if media {
            options.mediaDirectory = mediaDir
            let fetcher = AssetFetcher(cdn: cdn)
            options.fetchAsset = { try await fetcher.fetch($0) }
            options.mediaFromDiscordOnly = discordMediaOnly
            options.assetFailed = { failures.add($0) }
        }
        defer { failures.report(mode) }
        if let window = window.flatMap(ExportWindow.init(rawValue:)) {
            let exporter = WindowedExporter(store: store, options: options, window: window)
            var ids: [UInt64] = []
            if let guild {
                ids += try await exporter.exportableChannels(in: guild) { skipped in
                    Console.out(Self.skippedLine(skipped), mode)
                }
            }
            ids += channels.map(\.rawValue)
            if repair {
                try await exporter.repair(channels: ids, in: out) { channel, file in
                    Console.out(
                        "channel \(channel): rewrote \(file.path) from the archive (\(file.messages) message(s)); it "
                            + "was \(file.problem.dropFirst(file.path.count + 2))")
                }
            }
            try await exporter.export(channels: ids, to: out) { run in
                Console.out(
                    "channel \(run.channelId): \(run.messages) message(s) in \(run.files.count) file(s), run "
                        + "\(run.runId), high-water mark \(run.highWaterMark.map(String.init) ?? "none")")
            }
            return
        }
        let exporter = DCEExporter(store: store, options: options)
        // One list, so a channel given by --channel and by its --guild is exported once.
        var ids: [Snowflake<Channel>] = []
        if let guild {
            ids += try await exporter.channels(ofGuild: guild) { skipped in
                Console.out(Self.skippedLine(skipped), mode)
            }
        }
        let files = try await exporter.exportChannels(ids + channels, to: out)
        for file in files { Console.out("\(file.path)  \(file.messageCount) message(s)") }
        Console.out("exported \(files.reduce(0) { $0 + $1.messageCount }) message(s) in \(files.count) file(s)")
    }

    /// The line for a channel the export leaves out.
    private static func skippedLine(_ skipped: SkippedChannel) -> ConsoleText {
        "skipped ".consoleText(.warning) + "#\(skipped.name) [\(skipped.id)]: \(skipped.reason)".consoleText()
    }
}
