import ConsoleKitTerminal
import Foundation
import Live
import NIOConcurrencyHelpers

/// `skald watch`'s console: a ready line, notes, and the counters (a status line redrawn every second on a
/// terminal, one line per minute in a pipe).
final class WatchConsoleObserver: LiveObserver {
    private struct State {
        /// The counters of each connection (one per shard).
        var progress: [String: LiveProgress] = [:]
        /// The ready line was printed.
        var announced = false
        /// Lines of the status line on screen (terminal only), cleared before the next line is written.
        var drawnLines = 0
    }

    let mode: OutputMode
    let logEvents: Bool
    private let state = NIOLockedValueBox(State())

    init(mode: OutputMode, logEvents: Bool) {
        self.mode = mode
        self.logEvents = logEvents
    }

    func live(_ progress: LiveProgress) {
        state.withLockedValue { $0.progress[progress.sessionKey] = progress }
        if logEvents { Console.out("watch: committed event \(progress.events) (stored \(progress.stored))") }
    }

    func live(note: String) {
        state.withLockedValue { state in
            let announce =
                !state.announced && (note.hasPrefix("caught up") || note.hasPrefix("gateway session resumed"))
            if announce { state.announced = true }
            if mode.isInteractive {
                Console.terminal.clear(lines: state.drawnLines)
                state.drawnLines = 0
            }
            Console.out("watch: ".consoleText(color: .brightBlack) + note.consoleText(), mode)
            if announce { Console.out("skald-watch ready") }
        }
    }

    /// Prints the counters: every second on a terminal (redrawn), every minute in a pipe.
    func runTicker() async {
        let period: Duration = mode.isInteractive ? .seconds(1) : .seconds(60)
        while !Task.isCancelled {
            try? await Task.sleep(for: period)
            if Task.isCancelled { return }
            state.withLockedValue { state in
                let progress = state.progress.values.reduce(LiveProgress()) { $0.adding($1) }
                let line =
                    "events \(progress.events), stored \(progress.stored) (messages \(progress.messages), edits "
                    + "\(progress.edits), deletions \(progress.deletions)), lag \(Int(progress.lastLag * 1000)) ms"
                if mode.isInteractive {
                    Console.terminal.clear(lines: state.drawnLines)
                    Console.out("live ".consoleText(.success) + line.consoleText(), mode)
                    state.drawnLines = 1
                } else {
                    Console.out("watch: " + line)
                }
            }
        }
    }
}
