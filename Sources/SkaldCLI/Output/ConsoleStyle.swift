import Foundation

/// How to write to the terminal: colours and live redraws on an interactive terminal, plain lines in a pipe.
struct OutputMode: Sendable {
    /// Standard output is an interactive terminal (live progress, redraws).
    var isInteractive: Bool
    /// ANSI colours are wanted (interactive, and `NO_COLOR` unset).
    var colors: Bool

    static func detect() -> OutputMode {
        let environment = ProcessInfo.processInfo.environment
        let tty = isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb" && environment["CI"] == nil
        return OutputMode(isInteractive: tty, colors: tty && environment["NO_COLOR"] == nil)
    }

    func paint(_ text: String, _ color: Color) -> String {
        colors ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// ANSI colour codes.
    enum Color: String {
        case green = "32"
        case yellow = "33"
        case red = "31"
        case cyan = "36"
        case dim = "2"
        case bold = "1"
    }
}

/// Writes whole lines to standard output or standard error without interleaving.
enum Console {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func raw(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
