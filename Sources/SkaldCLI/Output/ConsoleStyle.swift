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

/// Writes whole lines to standard output or standard error without interleaving. A closed reader (a pipe into
/// `head`) ends the output, not the process: the write fails quietly and the command goes on committing its work.
enum Console {
    static func out(_ line: String) {
        write(line + "\n", to: STDOUT_FILENO)
    }

    static func error(_ line: String) {
        write(line + "\n", to: STDERR_FILENO)
    }

    static func raw(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    /// Writes every byte unless the descriptor refuses (EPIPE, a full disk): output is best effort.
    private static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
