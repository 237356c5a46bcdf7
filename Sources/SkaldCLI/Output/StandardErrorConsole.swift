import ConsoleKitTerminal
import Foundation
import NIOConcurrencyHelpers

/// ConsoleKit's `Console` over standard error. ConsoleKit 4's `Terminal` prints styled text to standard output only
/// and its ANSI renderer is internal; this console renders the same `ConsoleStyle`s (Select Graphic Rendition codes,
/// as ConsoleKit writes them) so errors and warnings on a terminal share the colours of the rest of the output. It
/// is the only place Skald writes an escape sequence of its own; it never reads input nor moves the cursor.
final class StandardErrorConsole: ConsoleKitTerminal.Console, Sendable {
    private let info = NIOLockedValueBox<[AnySendableHashable: any Sendable]>([:])

    /// See ConsoleKit's `Console`.
    var userInfo: [AnySendableHashable: any Sendable] {
        get { info.withLockedValue { $0 } }
        set { info.withLockedValue { $0 = newValue } }
    }

    /// See ConsoleKit's `Console`: the size of the terminal standard error writes to.
    var size: (width: Int, height: Int) {
        var size = winsize()
        _ = ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size)
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// Standard error has no input: always empty.
    func input(isSecure: Bool) -> String { "" }

    /// Writes `text` with its styles (strip them first for a pipe: see ``OutputMode/forError(_:)``).
    func output(_ text: ConsoleText, newLine: Bool) {
        Console.write(Self.render(text) + (newLine ? "\n" : ""), to: STDERR_FILENO)
    }

    /// Standard error keeps what was written: no cursor movement.
    func clear(_ type: ConsoleClear) {}

    /// See ConsoleKit's `Console`.
    func report(error: String, newLine: Bool) {
        Console.write(error + (newLine ? "\n" : ""), to: STDERR_FILENO)
    }

    /// `text` with each styled fragment between its SGR code and a reset, as ConsoleKit's `Terminal` renders it.
    static func render(_ text: ConsoleText) -> String {
        text.fragments.map { fragment in
            let style = fragment.style
            guard style.color != nil || style.background != nil || style.isBold else { return fragment.string }
            var codes = ["0"]
            if style.isBold { codes.append("1") }
            if let color = style.color { codes.append(code(color, background: false)) }
            if let background = style.background { codes.append(code(background, background: true)) }
            return "\u{1B}[" + codes.joined(separator: ";") + "m" + fragment.string + "\u{1B}[0m"
        }.joined()
    }

    private static func code(_ color: ConsoleColor, background: Bool) -> String {
        let base = background ? 40 : 30
        switch color {
        case .black: return "\(base)"
        case .red: return "\(base + 1)"
        case .green: return "\(base + 2)"
        case .yellow: return "\(base + 3)"
        case .blue: return "\(base + 4)"
        case .magenta: return "\(base + 5)"
        case .cyan: return "\(base + 6)"
        case .white: return "\(base + 7)"
        case .brightBlack: return "\(base + 60)"
        case .brightRed: return "\(base + 61)"
        case .brightGreen: return "\(base + 62)"
        case .brightYellow: return "\(base + 63)"
        case .brightBlue: return "\(base + 64)"
        case .brightMagenta: return "\(base + 65)"
        case .brightCyan: return "\(base + 66)"
        case .brightWhite: return "\(base + 67)"
        case .palette(let index): return "\(base + 8);5;\(index)"
        case .custom(let red, let green, let blue): return "\(base + 8);2;\(red);\(green);\(blue)"
        }
    }
}
