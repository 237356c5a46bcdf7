import Archive
import ArchiveStore
import ArgumentParser
import ConsoleKitTerminal
import Foundation
import SkaldConfiguration

/// `skald stats`: what the archive holds.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count the guilds, channels, threads, messages, edits, deletions, attachments and users archived.",
        discussion: """
            With --json, prints one JSON object (keys: guilds, importedOnlyGuilds, channels, importedOnlyChannels, threads, messages, importedOnlyMessages, liveMessages, \
            editedMessages, deletedMessages, revisions, attachments, downloadedAttachments, reactions, users, \
            members, roles, emojis, stickers, scheduledEvents).
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(
        name: .customLong("config"), help: ArgumentHelp("Config file whose database_url to use.", valueName: "path"))
    var configPath: String?
    @Flag(name: .customLong("json"), help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        let mode = OutputMode.detect()
        let configFile = try configPath.map { try ConfigFile.load(path: $0) }
        let location = try database.location(configFile: configFile)
        let stats = try await StoreFactory.openForReading(location).stats()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Console.out(String(decoding: try encoder.encode(stats), as: UTF8.self))
            return
        }
        let rows: [(String, Int)] = [
            ("guilds", stats.guilds), ("  only imported", stats.importedOnlyGuilds), ("channels", stats.channels),
            ("  only imported", stats.importedOnlyChannels), ("threads", stats.threads),
            ("messages", stats.messages), ("  only imported", stats.importedOnlyMessages),
            ("  live", stats.liveMessages), ("  edited", stats.editedMessages),
            ("  deleted", stats.deletedMessages), ("revisions", stats.revisions),
            ("attachments", stats.attachments), ("  downloaded", stats.downloadedAttachments),
            ("reactions", stats.reactions), ("users", stats.users), ("members", stats.members),
            ("roles", stats.roles), ("emojis", stats.emojis), ("stickers", stats.stickers),
            ("scheduled events", stats.scheduledEvents),
        ]
        Console.out("Archive \(location)".consoleText(isBold: true), mode)
        for (name, value) in rows {
            Console.out(name.padding(toLength: 18, withPad: " ", startingAt: 0) + value.formatted())
        }
    }
}
