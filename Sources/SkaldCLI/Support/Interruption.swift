import ArgumentParser
import ConsoleKitTerminal
import UnixSignals

/// Runs work that SIGINT or SIGTERM should stop cleanly: the signal cancels the work (which keeps what it
/// committed and removes what it half-wrote) instead of killing the process mid-write.
enum Interruption {
    /// The work's result, or the signal that cancelled it.
    enum Outcome<T: Sendable>: Sendable {
        case finished(Result<T, any Error>)
        case interrupted(UnixSignal)
    }

    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async -> Outcome<T> {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let work = Task { try await body() }
        let watcher = Task {
            for await signal in signals {
                work.cancel()
                return Optional(signal)
            }
            return nil
        }
        let result = await work.result
        watcher.cancel()
        if let signal = await watcher.value { return .interrupted(signal) }
        return .finished(result)
    }

    /// Runs a finite command's work: its result, or, on SIGINT or SIGTERM, one line on stderr,
    /// `interrupted by SIGTERM: ` and what `kept` says (what was kept, how to resume), then exit 130. The way every
    /// finite command that writes stops (`archive`, `import`, `export`, `migrate-store`, `mirror`, `store get` and
    /// `put`): between two committed steps, never mid-write, and saying so.
    static func runOrStop<T: Sendable>(
        mode: OutputMode = .detect(), _ body: @escaping @Sendable () async throws -> T,
        kept: (UnixSignal) async throws -> String
    ) async throws -> T {
        switch await run(body) {
        case .finished(let result):
            return try result.get()
        case .interrupted(let signal):
            say(signal, kept: try await kept(signal), mode: mode)
            throw ExitCode(130)
        }
    }

    /// The line an interrupted command prints.
    static func say(_ signal: UnixSignal, kept: String, mode: OutputMode = .detect()) {
        Console.error("interrupted".consoleText(.warning) + " by \(signal): \(kept)".consoleText(), mode)
    }
}
