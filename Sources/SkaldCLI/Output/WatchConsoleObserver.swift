import Foundation
import Live
import NIOConcurrencyHelpers

/// `skald watch`'s console: a ready line, notes, and the counters (a status line redrawn every second on a
/// terminal, one line per minute in a pipe).
final class WatchConsoleObserver: LiveObserver {
    let mode: OutputMode
    let logEvents: Bool
    /// The counters of each connection (one per shard), and whether the ready line was printed.
    private let state = NIOLockedValueBox<(progress: [String: LiveProgress], announced: Bool)>(([:], false))

    init(mode: OutputMode, logEvents: Bool) {
        self.mode = mode
        self.logEvents = logEvents
    }

    func live(_ progress: LiveProgress) {
        state.withLockedValue { $0.progress[progress.sessionKey] = progress }
        if logEvents { Console.out("watch: committed event \(progress.events) (stored \(progress.stored))") }
    }

    func live(note: String) {
        let announce = state.withLockedValue { state -> Bool in
            let first = !state.announced && (note.hasPrefix("caught up") || note.hasPrefix("gateway session resumed"))
            if first { state.announced = true }
            return first
        }
        if mode.isInteractive { Console.raw("\r\u{1B}[2K") }
        Console.out(mode.paint("watch: ", .dim) + note)
        if announce { Console.out("skald-watch ready") }
    }

    /// Prints the counters: every second on a terminal (redrawn), every minute in a pipe.
    func runTicker() async {
        let period: Duration = mode.isInteractive ? .seconds(1) : .seconds(60)
        while !Task.isCancelled {
            try? await Task.sleep(for: period)
            if Task.isCancelled { return }
            let progress = state.withLockedValue { $0.progress.values.reduce(LiveProgress()) { $0.adding($1) } }
            let line =
                "events \(progress.events), stored \(progress.stored) (messages \(progress.messages), edits "
                + "\(progress.edits), deletions \(progress.deletions)), lag \(Int(progress.lastLag * 1000)) ms"
            if mode.isInteractive {
                Console.raw("\r\u{1B}[2K" + mode.paint("live ", .green) + line)
            } else {
                Console.out("watch: " + line)
            }
        }
    }
}
