import Archive
import ArchiveStore
import ConsoleKitTerminal
import Foundation
import Logging
import SkaldConfiguration

/// Runs the archive engine with console output and maps the outcome to an exit code (0, 1 or 2). Shared by
/// `skald archive` and `skald demo`. Errors go to ``CommandFailure`` (exit 1).
enum ArchiveRunner {
    static func run(
        mode: OutputMode, configure: () throws -> (ArchiveConfiguration, DatabaseLocation)
    ) async throws -> Int32 {
        let logger = Logger(label: "skald")  // at the level `main` bootstrapped
        let (configuration, location) = try configure()
        let store = try StoreFactory.open(location)
        let opened = ArchiveFileIdentity.of(location)
        let observer = ArchiveConsoleObserver(mode: mode)
        let board = Task { await observer.runBoard() }
        let engine = ArchiveEngine(configuration: configuration, store: store, observer: observer, logger: logger)
        // SIGINT/SIGTERM cancel the run: what is committed stays, the run is recorded as cancelled, partial media
        // files are removed, and the user is told how to continue.
        let outcome = await Interruption.run { try await engine.run() }
        board.cancel()
        _ = await board.value
        observer.finish()
        await StoreFactory.close(store)
        switch outcome {
        case .interrupted(let signal):
            let saved = observer.storedMessages
            Console.error(
                "interrupted".consoleText(.warning)
                    + (" by \(signal): \(saved.formatted()) message(s) were saved in \(location) (every stored page "
                    + "is complete) and the run is recorded as cancelled. Run the same command again to continue "
                    + "where it stopped.").consoleText(), mode)
            return 130
        case .finished(let result):
            let summary = try result.get()
            try ArchiveFileIdentity.requireUnchanged(opened, at: location, command: "archive")
            SummaryPrinter.print(summary, mode: mode)
            Console.out("Archive: \(location)")
            return summary.isPartial ? 2 : 0
        }
    }
}
