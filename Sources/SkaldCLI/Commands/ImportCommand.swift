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
            and byte position and nothing of it is imported; the exit code is then 1. SIGINT/SIGTERM: the files \
            imported so far are kept, the one being imported is left out whole; exit 130.

            An export made with DCE's --media links its downloaded files by paths relative to its own folder \
            (Windows `\\` or `/`), or absolute. The import resolves them against the file's folder, so `skald \
            export` and `skald serve` find them after the import; with --media it copies them into the archive's \
            media folder (named by content, as `skald archive --media` does) and links them there. Paths that name \
            no file are kept as written and listed.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Flag(
        name: .customLong("media"),
        help: "Copy the files a --media export links to into the archive's media folder (kept with the archive).")
    var media = false
    @Option(
        name: .customLong("media-root"),
        help:
            "The archive's media folder --media copies into (default: media/ beside an SQLite archive); implies --media."
    )
    var mediaRoot: String?
    @Argument(help: "DCE JSON files or folders holding them.") var paths: [String]

    func run() async throws {
        let mode = OutputMode.detect()
        let location = try database.location()
        let store = try StoreFactory.open(location)
        let opened = ArchiveFileIdentity.of(location)
        // Each file is said once committed, so an interrupted import has said what it kept.
        let tally = ImportTally()
        let paths = paths
        var importer = DCEImporter(store: store)
        if media || mediaRoot != nil {
            importer.mediaRoot = mediaRoot ?? location.defaultMediaDirectory
            try MediaFolderCheck.requireWritable(importer.mediaRoot!)
        }
        let outcomes = try await Interruption.runOrStop(mode: mode) { [importer] in
            try await importer.importPaths(paths) { outcome, files in
                tally.add(outcome, of: files)
                Self.say(outcome, mode: mode)
            }
        } kept: { _ in
            let (imported, files) = tally.counts
            guard imported > 0 else {
                return "no file was imported: the file being imported was left out whole (nothing of it is in "
                    + "\(location)). Run the same command again"
            }
            return "\(imported) of \(files) file(s) were imported (listed above) and are kept in \(location); a "
                + "file being imported when the signal came was left out whole. Run the same command again: the files already imported "
                + "merge without a change"
        }
        try ArchiveFileIdentity.requireUnchanged(opened, at: location, command: "import")
        let failed = outcomes.filter { $0.error != nil }.count
        Console.out("imported \(outcomes.count - failed) of \(outcomes.count) file(s)")
        if failed > 0 { throw ExitCode(1) }
    }

    /// One file's outcome on the console.
    static func say(_ outcome: DCEImporter.Outcome, mode: OutputMode) {
        if let error = outcome.error {
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
        if outcome.result != nil { sayMedia(outcome, mode: mode) }
    }

    /// What became of a `--media` export's local files.
    static func sayMedia(_ outcome: DCEImporter.Outcome, mode: OutputMode) {
        let media = outcome.media
        guard media.linked > 0 else { return }
        let found = media.linked - media.missing.count
        Console.out(
            "\(outcome.path): \(media.linked) local media file(s) linked (a --media export): \(found) found"
                + (media.copied > 0 ? ", \(media.copied) copied into the media folder" : ""))
        guard !media.missing.isEmpty else { return }
        let shown = media.missing.prefix(3).joined(separator: ", ")
        Console.out(
            "\(outcome.path): ".consoleText()
                + "\(media.missing.count) linked media file(s) are missing".consoleText(.warning)
                + (" (\(shown)\(media.missing.count > 3 ? ", …" : "")): not beside the export (DCE's "
                + "`… .json_Files` folder) or moved; their links are kept as the export wrote them. Put the "
                + "folder beside the file and import it again to link them").consoleText(),
            mode)
    }
}
