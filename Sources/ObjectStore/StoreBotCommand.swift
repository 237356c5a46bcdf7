/// A command typed in the store's channel (the earlier "Discord Object Store" bot's commands), parsed without I/O.
///
/// ```swift
/// StoreBotCommand.parse("!download #261126-01 #261126-02")   // .download(["#261126-01", "#261126-02"])
/// StoreBotCommand.parse("hello")                             // nil: not a command
/// ```
public enum StoreBotCommand: Sendable, Hashable {
    /// `!upload`: the command message's attachments (and the upload folder's files) become objects.
    case upload
    /// `!download KEY…`: objects by archive id, object id or name, into the output folder.
    case download([String])
    /// `!resume [KEY]`: finishes interrupted uploads (all of them without a key).
    case resume(String?)
    /// `!verify [KEY]`: downloads and checks every hash (every complete object without a key).
    case verify(String?)
    /// `!ls`: the stored objects.
    case list
    /// `!status`: catalogue counts and incomplete uploads.
    case status
    /// `!history [N]`: the latest uploads (5 by default, at most 50); nil when N is not a number from 1.
    case history(Int?)
    /// `!help`: the commands.
    case help
    /// A `!word` the bot does not know.
    case unknown(String)

    /// The command `text` holds, or `nil` when it does not start with `!`. A name with spaces is quoted:
    /// `!download "holiday photos/IMG 001.jpg"`.
    public static func parse(_ text: String) -> StoreBotCommand? {
        let words = words(of: text)
        guard let first = words.first, first.hasPrefix("!"), first.count > 1 else { return nil }
        let rest = Array(words.dropFirst())
        switch first.dropFirst().lowercased() {
        case "upload": return .upload
        case "download", "get": return .download(rest)
        case "resume": return .resume(rest.first)
        case "verify": return .verify(rest.first)
        case "ls", "list": return .list
        case "status": return .status
        case "history":
            guard let count = rest.first else { return .history(5) }
            return .history(Int(count).flatMap { $0 >= 1 ? min($0, 50) : nil })
        case "help": return .help
        default: return .unknown(first)
        }
    }

    /// `text` split at whitespace, except inside double quotes (straight or curly, as phones type them), which are
    /// dropped.
    static func words(of text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var started = false
        for character in text {
            if character == "\"" || character == "“" || character == "”" {
                quoted.toggle()
                started = true
            } else if character.isWhitespace, !quoted {
                if started { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
                started = true
            }
        }
        if started { words.append(current) }
        return words
    }

    /// The answer to `!help`.
    public static let helpText = """
        skald store commands: `!upload` (attach files to the command, or without attachments: the upload folder's \
        new files), `!download #ARCHIVE [#ARCHIVE2…]`, \
        `!resume [#ARCHIVE]`, `!verify [#ARCHIVE]`, `!ls`, `!status`, `!history [N]`, `!help`
        """
}
