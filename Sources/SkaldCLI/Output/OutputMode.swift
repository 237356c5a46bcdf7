import ConsoleKitTerminal
import Foundation

/// How to write to the terminal: colours and live redraws on an interactive terminal, plain lines in a pipe.
///
/// Colour is decided per stream: standard output and standard error are each coloured only when that stream is an
/// interactive terminal, and neither is when `NO_COLOR` is set (any value), `TERM=dumb` or `CI` is set. Colours
/// are ConsoleKit's styles (`ConsoleStyle`, `ConsoleText`) everywhere; ``Console`` renders them.
struct OutputMode: Sendable {
    /// Standard output is an interactive terminal (live progress, redraws, sentences instead of `key=value`).
    var isInteractive: Bool
    /// Standard output shows colours (interactive, and `NO_COLOR` unset).
    var colors: Bool
    /// Standard error shows colours (it is an interactive terminal, and `NO_COLOR` unset).
    var errorColors: Bool

    /// The mode of this process's standard output and standard error.
    static func detect() -> OutputMode {
        detect(environment: ProcessInfo.processInfo.environment) { isatty($0) == 1 }
    }

    /// The mode for an environment and a test of which descriptors are terminals (injected by tests).
    static func detect(environment: [String: String], isTerminal: (Int32) -> Bool) -> OutputMode {
        let usable = environment["TERM"] != "dumb" && environment["CI"] == nil
        let colorsWanted = usable && environment["NO_COLOR"] == nil
        let outputTerminal = usable && isTerminal(STDOUT_FILENO)
        return OutputMode(
            isInteractive: outputTerminal,
            colors: outputTerminal && colorsWanted,
            errorColors: colorsWanted && isTerminal(STDERR_FILENO))
    }

    /// `text` for standard output: with its styles when colours are on, else the same words unstyled.
    func forOutput(_ text: ConsoleText) -> ConsoleText { colors ? text : Self.plain(text) }

    /// `text` for standard error: with its styles when colours are on there, else the same words unstyled.
    func forError(_ text: ConsoleText) -> ConsoleText { errorColors ? text : Self.plain(text) }

    private static func plain(_ text: ConsoleText) -> ConsoleText { text.description.consoleText() }
}
