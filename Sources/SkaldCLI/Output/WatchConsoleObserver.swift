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
        /// The connections (session keys) that have been live, for the ready line.
        var live: Set<String> = []
        /// The ready line was printed.
        var announced = false
        /// Lines of the status line on screen (terminal only), cleared before the next line is written.
        var drawnLines = 0
    }

    let mode: OutputMode
    let logEvents: Bool
    /// The connections (shards) this process runs: the ready line waits for each to be live, so that a script that
    /// acts once it is printed is watched on every shard (an edit before a shard connects is missed).
    let connections: Int
    private let state = NIOLockedValueBox(State())

    init(mode: OutputMode, logEvents: Bool, connections: Int = 1) {
        self.mode = mode
        self.logEvents = logEvents
        self.connections = connections
    }

    func live(_ progress: LiveProgress) {
        state.withLockedValue { $0.progress[progress.sessionKey] = progress }
        if logEvents { Console.out("watch: committed event \(progress.events) (stored \(progress.stored))") }
    }

    func live(note: String) {
        state.withLockedValue { state in
            if mode.isInteractive {
                Console.terminal.clear(lines: state.drawnLines)
                state.drawnLines = 0
            }
            Console.out("watch: ".consoleText(color: .brightBlack) + note.consoleText(), mode)
        }
    }

    func live(ready sessionKey: String) {
        state.withLockedValue { state in
            state.live.insert(sessionKey)
            guard !state.announced, state.live.count >= connections else { return }
            state.announced = true
            Console.out("skald-watch ready")
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
