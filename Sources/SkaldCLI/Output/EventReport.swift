import ConsoleKitTerminal

/// One thing a command reports while it runs, in both of its renderings: `event key=value…` for a pipe (a program
/// reads it) and a sentence for a terminal (a person reads it). ``render(for:)`` picks by ``OutputMode``: the one
/// reporter of `archive` and `demo` (`watch`, `mirror` and `store` already print sentences in both modes).
struct EventReport {
    /// The first word of the pipe line (`skipped`, `failed`, `guild`…).
    var event: String
    /// The pipe line's fields, in order.
    var fields: KeyValuePairs<String, String>
    /// The terminal's sentence, or `nil` when the terminal shows this another way (the live board).
    var sentence: String?
    /// The sentence's style on a terminal.
    var style: ConsoleStyle = .plain

    /// The sentence on a terminal (styled), else the `key=value` line; `nil` when a terminal has no line for it.
    func render(for mode: OutputMode) -> ConsoleText? {
        if mode.isInteractive { return sentence.map { mode.forOutput($0.consoleText(style)) } }
        return keyValueLine.consoleText()
    }

    /// `event key=value…`, values with a space, quote or `=` in double quotes.
    var keyValueLine: String {
        ([event] + fields.map { "\($0.key)=\(Self.quote($0.value))" }).joined(separator: " ")
    }

    private static func quote(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : value
    }

    /// A skip reason in words: the engine's `missing READ_MESSAGE_HISTORY` reads `the bot lacks Read Message
    /// History` (Discord's names for permissions); any other reason is kept as it is.
    static func describe(skipReason reason: String) -> String {
        guard reason.hasPrefix("missing ") else { return reason }
        let permissions = reason.dropFirst("missing ".count).components(separatedBy: " or ").map { name in
            name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }
                .joined(separator: " ")
        }
        return "the bot lacks " + permissions.joined(separator: " or ")
    }
}
