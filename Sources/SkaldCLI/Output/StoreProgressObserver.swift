import ConsoleKitTerminal
import Foundation
import ObjectStore
import Synchronization

/// Shows `skald store put --progress`: on a terminal, one bar (bytes posted of the total, rate, files done)
/// redrawn as messages are recorded; in a pipe, a plain `posted chunks A-B of N NAME` line on standard error per
/// message.
final class StoreProgressObserver: Sendable {
    private struct State {
        var posted: Int64 = 0
        var total: Int64 = 0
        var files = 0
        var filesDone = 0
        var drawnLines = 0
        var lastDraw = Date.distantPast
    }

    private let mode: OutputMode
    private let enabled: Bool
    private var terminal: Terminal { Console.terminal }
    private let started = Date()
    private let state = Mutex(State())

    /// An observer; `enabled` is `--progress`.
    init(mode: OutputMode, enabled: Bool) {
        self.mode = mode
        self.enabled = enabled
    }

    /// Sets what the whole run will upload.
    func plan(files: Int, bytes: Int64) {
        state.withLock {
            $0.files = files
            $0.total = bytes
        }
    }

    /// A chunk message was posted and recorded.
    func posted(_ chunks: PostedChunks) {
        guard enabled else { return }
        guard mode.isInteractive else {
            Console.error("posted chunks \(chunks.first)-\(chunks.last) of \(chunks.chunkCount) \(chunks.name)")
            return
        }
        let now = Date()
        state.withLock { state in
            state.posted += chunks.bytes
            guard now.timeIntervalSince(state.lastDraw) >= 0.1 || chunks.last == chunks.chunkCount - 1 else { return }
            state.lastDraw = now
            draw(&state)
        }
    }

    /// A file is stored: its result line, above the bar.
    func finished(_ line: String) {
        state.withLock { state in
            state.filesDone += 1
            if enabled && mode.isInteractive {
                terminal.clear(lines: state.drawnLines)
                state.drawnLines = 0
                terminal.output(line.consoleText())
                draw(&state)
            } else {
                Console.out(line)
            }
        }
    }

    /// Removes the bar.
    func finish() {
        guard enabled && mode.isInteractive else { return }
        state.withLock { state in
            terminal.clear(lines: state.drawnLines)
            state.drawnLines = 0
        }
    }

    private func draw(_ state: inout State) {
        let fraction = state.total == 0 ? 1 : Double(state.posted) / Double(state.total)
        let width = 28
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(state.posted) / seconds / 1_048_576
        let text =
            " \(Int(fraction * 100))%  \(Self.mebibytes(state.posted))/\(Self.mebibytes(state.total)) MiB  "
            + String(format: "%.1f MiB/s", rate) + "  \(state.filesDone)/\(state.files) files"
        terminal.clear(lines: state.drawnLines)
        terminal.output(mode.forOutput("Storing ".consoleText(.info) + bar.consoleText(.success) + text.consoleText()))
        state.drawnLines = 1
    }

    private static func mebibytes(_ bytes: Int64) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
}
