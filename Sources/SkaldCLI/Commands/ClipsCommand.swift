import ArchiveStore
import ArgumentParser
import Bot
import DiscordModels
import Export
import FileSafety
import Foundation
import SkaldConfiguration

/// `skald clips`: find, list and export the video clips of archived messages.
struct ClipsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clips",
        abstract: "Find, list and export the video clips posted in archived messages.",
        discussion: """
            A clip is a video attachment (video/*, or .gifv .mp4 .webm .mov), a video or gifv embed, or a link to \
            YouTube (watch, youtu.be, shorts, clip), Twitch (clips.twitch.tv, twitch.tv/CHANNEL/clip, \
            twitch.tv/clip), Medal, Streamable, Steam clips or a video file. `skald bot` records clips as they are \
            posted; `skald clips scan` finds those of messages archived before.
            """,
        subcommands: [ClipsScan.self, ClipsList.self, ClipsExport.self]
    )
}

/// `skald clips scan`.
struct ClipsScan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Record the clips of archived messages (a resumable scan run).",
        discussion: """
            Reads the archived messages of every channel (or those selected) and records their clips. Each scan \
            is a run kept in the archive (guild, channels, start and end, counts, status, error) with a cursor \
            per channel: a scan that was interrupted is resumed by the next scan with the same selection. \
            Scanning again finds nothing twice.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("guild"), help: ArgumentHelp("Only this guild.", valueName: "id"))
    var guild: Snowflake<Guild>?
    @Option(name: .customLong("channel"), help: ArgumentHelp("Only this channel (repeatable).", valueName: "id"))
    var channels: [Snowflake<Channel>] = []
    @Option(
        name: .customLong("since"),
        help: ArgumentHelp("Only messages sent from this date (2024-01-31 or ISO 8601).", valueName: "date"))
    var since: String?

    func run() async throws {
        let sinceDate = try since.map { text -> Date in
            let full = text.count == 10 ? text + "T00:00:00Z" : text
            guard let date = DiscordTimestamp.parse(full) else {
                throw ValidationError("--since \"\(text)\" is not a date; use 2024-01-31 or 2024-01-31T12:00:00Z")
            }
            return date
        }
        let run = try await StoreFactory.withExisting(try database.location()) { store in
            try await ClipsCommand.requireArchived(guild, in: store)
            return try await ClipScanner(store: store).scan(guild: guild, channels: channels, since: sinceDate)
        }
        Console.out(
            "clips scan \(run.id.uuidString.lowercased()): \(run.messagesScanned) messages, "
                + "\(run.clipsFound) clips, \(run.cursors.count) channels")
    }
}

extension ClipsCommand {
    /// Refuses a `--guild` the archive holds nothing of: its clips would be none, which reads as success.
    static func requireArchived(_ guild: Snowflake<Guild>?, in store: any CapableArchiveStore) async throws {
        guard let guild, try await ArchivedGuild.presence(of: guild, in: store) == .absent else { return }
        throw CommandFailure.Message(ArchivedGuild.absenceMessage(guild, option: "--guild"))
    }
}

/// `skald clips ls`.
struct ClipsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the recorded clips.")

    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("guild"), help: ArgumentHelp("Only this guild.", valueName: "id"))
    var guild: Snowflake<Guild>?
    @Option(name: .customLong("kind"), help: ArgumentHelp("Only attachment, embed or link clips.", valueName: "kind"))
    var kind: String?
    @Flag(
        name: .customLong("json"),
        help: "One JSON array of {messageId, channelId, guildId, kind, provider, url, sha256, path, fileError}.")
    var json = false

    func validate() throws {
        if let kind, !["attachment", "embed", "link"].contains(kind) {
            throw ValidationError("--kind must be attachment, embed or link, got \(kind)")
        }
    }

    func run() async throws {
        let clips = try await StoreFactory.withExisting(try database.location()) { store in
            try await ClipsCommand.requireArchived(guild, in: store)
            return try await store.clips(guild: guild, kind: kind)
        }
        if json {
            Console.out(String(decoding: try ClipListing.json(clips), as: UTF8.self))
            return
        }
        for clip in clips {
            Console.out(
                "\(clip.messageId)  \(clip.channelId)  \(clip.kind)  \(clip.provider)  \(clip.url)"
                    + (clip.path.map { "  \($0)" } ?? "") + (clip.fileError.map { "  (no file: \($0))" } ?? ""))
        }
    }
}

/// `skald clips export`.
struct ClipsExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Copy the stored clip files into a folder with an index.json.",
        discussion: """
            Writes DIR/index.json (every recorded clip, as `clips ls --json` prints it, with `file` naming the copy) \
            and copies each stored clip file into DIR/files/ under its content hash, checked against the hash the \
            archive recorded. A stored file missing from the media folder or not matching its hash is left out \
            (`"file": null`), named, and the command exits 1; a rerun copies only what is not there yet.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("out"), help: ArgumentHelp("The folder to write.", valueName: "dir"))
    var out: String
    @Option(
        name: .customLong("media-dir"),
        help: ArgumentHelp("Where the archive's media is (default: media/ beside a SQLite archive).", valueName: "dir"))
    var mediaDirectory: String?
    @Option(name: .customLong("guild"), help: ArgumentHelp("Only this guild.", valueName: "id"))
    var guild: Snowflake<Guild>?

    func run() async throws {
        let location = try database.location()
        let clips = try await StoreFactory.withExisting(location) { store in
            try await ClipsCommand.requireArchived(guild, in: store)
            return try await store.clips(guild: guild, kind: nil)
        }
        let media = mediaDirectory ?? location.defaultMediaDirectory
        let stored = clips.filter { $0.path != nil && $0.sha256 != nil }
        if !stored.isEmpty || mediaDirectory != nil, !FileDestination.kind(at: media).isFolder {
            // Before, every file was skipped without a word and the export said "0 files", exit 0.
            throw CommandFailure.Message(
                "no media folder at \(media) (\(stored.count) clip file(s) are recorded as stored there): pass "
                    + "--media-dir with the folder `skald archive --media` or `skald bot` downloaded into")
        }
        let files = (out as NSString).appendingPathComponent("files")
        try FileDestination.createFolder(out)
        try FileDestination.createFolder(files)
        var copied: [Int: String] = [:]
        var missing: [String] = []
        var damaged: [String] = []
        for (index, clip) in clips.enumerated() {
            guard let path = clip.path, let sha = clip.sha256 else { continue }
            let source = (media as NSString).appendingPathComponent(path)
            let name = (path as NSString).lastPathComponent
            let target = (files as NSString).appendingPathComponent(name)
            switch try ClipFileCopy.copy(from: source, to: target, sha256: sha) {
            case .copied: copied[index] = "files/" + name
            case .missing: missing.append(source)
            case .damaged: damaged.append(source)
            }
        }
        let index = try ClipListing.json(clips, files: copied)
        try FileDestination.write(index, to: (out as NSString).appendingPathComponent("index.json"))
        let withoutFile = clips.count - stored.count
        Console.out(
            "clips export: \(clips.count) clips, \(Set(copied.values).count) files in \(out)"
                + (withoutFile > 0
                    ? " (\(withoutFile) clip(s) have no stored file: links, or attachments not downloaded; "
                        + "`skald archive --media` downloads attachments)" : ""))
        guard missing.isEmpty && damaged.isEmpty else {
            var problems: [String] = []
            if let first = missing.first {
                problems.append("\(missing.count) stored clip file(s) missing (first: \(first))")
            }
            if let first = damaged.first {
                problems.append("\(damaged.count) damaged: not the bytes the archive recorded (first: \(first))")
            }
            throw CommandFailure.Message(
                problems.joined(separator: "; ") + "; index.json lists them with \"file\": null. Run `skald archive "
                    + "--media` again to download them anew, or pass --media-dir if the media live elsewhere")
        }
    }
}

/// The JSON form of clips (`clips ls --json`, `index.json`).
enum ClipListing {
    static func json(_ clips: [ClipRecord], files: [Int: String]? = nil) throws -> Data {
        let rows: [[String: Any]] = clips.enumerated().map { index, clip in
            var row: [String: Any] = [
                "messageId": String(clip.messageId.rawValue), "channelId": String(clip.channelId.rawValue),
                "guildId": clip.guildId.map { String($0.rawValue) } ?? NSNull(), "kind": clip.kind,
                "provider": clip.provider, "url": clip.url, "sha256": clip.sha256 ?? NSNull(),
                "path": clip.path ?? NSNull(), "fileError": clip.fileError ?? NSNull(),
            ]
            if let files { row["file"] = files[index] ?? NSNull() }
            return row
        }
        return try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
