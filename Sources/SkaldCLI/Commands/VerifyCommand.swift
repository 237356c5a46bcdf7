import Archive
import ArchiveStore
import ArgumentParser
import ConsoleKitTerminal
import DiscordModels
import Export
import Foundation
import SkaldConfiguration

/// `skald verify`: checks a windowed export against its manifest (and the archive).
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a windowed export: files, hashes, counts, ownership, and (with --db) the archive.",
        discussion: "Exits 1 and lists the problems when anything is wrong."
    )

    @Option(name: .customLong("out"), help: "The export folder.") var out: String
    @Option(name: .customLong("channel"), help: "Only this channel.") var channel: Snowflake<Channel>?
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp("Compare with this archive (sqlite:PATH or postgres://…).", valueName: "url"))
    var database: String?

    func run() async throws {
        let mode = OutputMode.detect()
        let store = try database.map { try StoreFactory.openForReading(try DatabaseLocation(parsing: $0)) }
        let verifier = ExportVerifier(root: out, store: store)
        let ids = try channel.map { [$0.rawValue] } ?? verifier.channels()
        if ids.isEmpty {
            throw CommandFailure.Message(
                "no channel=<id> folders under \(out): is it a windowed export (`skald export --window`)?")
        }
        var problems = 0
        for id in ids {
            let found = try await verifier.verify(channel: id)
            problems += found.count
            for problem in found {
                Console.error("problem: ".consoleText(.error) + "channel \(id): \(problem)".consoleText(), mode)
            }
            if found.isEmpty {
                Console.out("channel \(id): ok")
            } else {
                Console.error(("  " + ExportVerifier.repairAdvice(root: out, channel: id)).consoleText(), mode)
            }
        }
        if problems > 0 { throw ExitCode(1) }
    }
}
