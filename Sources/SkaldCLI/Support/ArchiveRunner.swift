import Archive
import ArchiveStore
import Foundation
import Logging

/// Runs the archive engine with console output and maps the outcome to an exit code (0, 1 or 2). Shared by
/// `skald archive` and `skald demo`.
enum ArchiveRunner {
    static func run(
        mode: OutputMode, verbose: Bool,
        configure: () throws -> (ArchiveConfiguration, DatabaseLocation)
    ) async -> Int32 {
        var logger = Logger(label: "skald")
        logger.logLevel = verbose ? .debug : .error
        do {
            let (configuration, location) = try configure()
            let store = try StoreFactory.open(location)
            let observer = ArchiveConsoleObserver(mode: mode)
            let board = Task { await observer.runBoard() }
            let engine = ArchiveEngine(configuration: configuration, store: store, observer: observer, logger: logger)
            let summary: ArchiveSummary
            do {
                summary = try await engine.run()
            } catch {
                board.cancel()
                _ = await board.value
                observer.finish()
                throw error
            }
            board.cancel()
            _ = await board.value
            observer.finish()
            SummaryPrinter.print(summary, mode: mode)
            Console.out("Archive: \(location)")
            return summary.isPartial ? 2 : 0
        } catch let error as ConfigurationError {
            Console.error(mode.paint("error: ", .red) + error.message)
            return 1
        } catch let error as ArchiveError {
            Console.error(mode.paint("error: ", .red) + error.message)
            return 1
        } catch {
            Console.error(mode.paint("error: ", .red) + "\(error)")
            return 1
        }
    }
}
