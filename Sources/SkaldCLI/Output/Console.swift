import ConsoleKitTerminal
import Foundation

/// Writes whole lines to standard output or standard error without interleaving. A closed reader (a pipe into
/// `head`) ends the output, not the process: the write fails quietly and the command goes on committing its work.
///
/// Styled text is ConsoleKit's `ConsoleText`. On standard output ConsoleKit's own `Terminal` renders it (and moves
/// the cursor for the live boards). ConsoleKit's `Terminal` writes styled text to standard output only and keeps its
/// renderer internal, so standard error gets ``StandardErrorConsole``: a ConsoleKit `Console` over standard error
/// that renders the same `ConsoleStyle`s. Whether a stream is coloured at all is ``OutputMode``'s decision.
enum Console {
    /// ConsoleKit's terminal over standard output: styled lines and the live boards' redraws (no cursor movement
    /// unless standard output is a terminal).
    static let terminal = Terminal()
    /// Standard error, as a ConsoleKit console.
    static let standardError = StandardErrorConsole()

    /// A plain line on standard output.
    static func out(_ line: String) {
        write(line + "\n", to: STDOUT_FILENO)
    }

    /// A styled line on standard output, coloured only if `mode` says so.
    static func out(_ text: ConsoleText, _ mode: OutputMode) {
        terminal.output(mode.forOutput(text))
    }

    /// A plain line on standard error.
    static func error(_ line: String) {
        write(line + "\n", to: STDERR_FILENO)
    }

    /// A styled line on standard error, coloured only if `mode` says so.
    static func error(_ text: ConsoleText, _ mode: OutputMode) {
        standardError.output(mode.forError(text))
    }

    /// Text without a line end on standard output.
    static func raw(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    /// Writes every byte unless the descriptor refuses (EPIPE, a full disk): output is best effort.
    static func write(_ text: String, to descriptor: Int32) {
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
