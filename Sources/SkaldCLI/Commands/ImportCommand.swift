import Archive
import ArchiveStore
import ArgumentParser
import ConsoleKitTerminal
import Export
import Foundation
import SkaldConfiguration

/// `skald import`: DiscordChatExporter JSON files into the archive.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import DiscordChatExporter JSON exports (files or folders) into the archive.",
        discussion: """
            Reads DCE JSON 2.2x–2.47, pretty or not, streamed. Messages merge by id (importing the same export \
            twice adds nothing) and remember the file they came from. A malformed file is reported with its path \
            and byte position and nothing of it is imported; the exit code is then 1.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "DCE JSON files or folders holding them.") var paths: [String]

    func run() async throws {
        let mode = OutputMode.detect()
        let location = try database.location()
        let store = try StoreFactory.open(location)
        let opened = ArchiveFileIdentity.of(location)
        let outcomes = try await DCEImporter(store: store).importPaths(paths)
        try ArchiveFileIdentity.requireUnchanged(opened, at: location, command: "import")
        var failed = 0
        for outcome in outcomes {
            if let error = outcome.error {
                failed += 1
                Console.error("error: ".consoleText(.error) + error.consoleText(), mode)
            } else if outcome.result != nil, outcome.messages == 0 {
                Console.out(
                    "\(outcome.path): ".consoleText() + "no messages".consoleText(.warning)
                        + " in this file (an empty export): only its channel and guild were recorded".consoleText(),
                    mode)
            } else if let result = outcome.result {
                Console.out(
                    "\(outcome.path): \(outcome.messages) message(s): \(result.inserted) new, \(result.updated) "
                        + "updated, \(result.unchanged) unchanged"
                        + (result.older > 0 ? ", \(result.older) older (kept as revisions)" : ""))
            }
        }
        Console.out("imported \(outcomes.count - failed) of \(outcomes.count) file(s)")
        if failed > 0 { throw ExitCode(1) }
    }
}
