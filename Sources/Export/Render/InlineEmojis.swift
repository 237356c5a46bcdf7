import DiscordModels

/// Finds the emoji DCE lists in `inlineEmojis`: standard emoji of the index (longest first), `:shortcodes:` of the
/// index, and custom `<:name:id>`/`<a:name:id>`, skipping code spans and blocks, backslash escapes, list items
/// and the symbols DCE ignores. Repeats of a name are dropped.
enum InlineEmojis {
    private static let ignored: Set<String> = ["©", "®", "™", "♀", "♂", "⚕", "♾", "⚧"]

    /// Emoji objects (§12.1) for the emoji in `text`, in first-occurrence order.
    static func find(in text: String, index: EmojiIndex = .shared) -> [JSONValue] {
        // Every emoji has a non-ASCII scalar, a `:` or a `<`: plain ASCII text without them has none.
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: ":") && $0 != UInt8(ascii: "<") }) { return [] }
        let scalars = Array(text.unicodeScalars)
        var found: [JSONValue] = []
        var seen = Set<String>()
        func add(_ node: JSONValue, name: String) {
            if seen.insert(name).inserted { found.append(node) }
        }
        var i = 0
        var lineStart = true
        while i < scalars.count {
            let c = scalars[i]
            if lineStart {
                lineStart = false
                var j = i
                while j < scalars.count, scalars[j] == " " || scalars[j] == "\t" { j += 1 }
                if j + 1 < scalars.count, scalars[j] == "-" || scalars[j] == "*", scalars[j + 1] == " " {
                    // A list item: DCE's tree walk does not look inside it.
                    while i < scalars.count, scalars[i] != "\n" { i += 1 }
                    continue
                }
            }
            switch c {
            case "\n":
                lineStart = true
                i += 1
            case "\\":
                i += 2
            case "`":
                var ticks = 0
                while i + ticks < scalars.count, scalars[i + ticks] == "`" { ticks += 1 }
                if let end = closing(scalars, from: i + ticks, ticks: ticks) {
                    i = end + ticks
                } else {
                    i += ticks
                }
            case "<":
                if let (name, id, animated, end) = customEmoji(scalars, at: i) {
                    add(emojiNode(id: id, name: name, animated: animated), name: name)
                    i = end
                } else {
                    i += 1
                }
            case ":":
                if let end = shortcodeEnd(scalars, at: i) {
                    let code = String(String.UnicodeScalarView(scalars[(i + 1)..<end]))
                    if let emoji = index.emojis[code] {
                        add(emojiNode(id: nil, name: emoji, animated: false, index: index), name: emoji)
                        i = end + 1
                        continue
                    }
                }
                i += 1
            default:
                let length = index.match(scalars, at: i)
                if length > 0 {
                    let name = String(String.UnicodeScalarView(scalars[i..<i + length]))
                    let bare = String(String.UnicodeScalarView(name.unicodeScalars.filter { $0.value != 0xFE0F }))
                    if !ignored.contains(bare) {
                        add(emojiNode(id: nil, name: name, animated: false, index: index), name: name)
                    }
                    i += length
                } else {
                    i += 1
                }
            }
        }
        return found
    }

    private static func closing(_ s: [Unicode.Scalar], from start: Int, ticks: Int) -> Int? {
        var i = start
        while i < s.count {
            if s[i] == "`" {
                var run = 0
                while i + run < s.count, s[i + run] == "`" { run += 1 }
                if run == ticks { return i }
                i += run
            } else {
                i += 1
            }
        }
        return nil
    }

    private static func shortcodeEnd(_ s: [Unicode.Scalar], at start: Int) -> Int? {
        var i = start + 1
        while i < s.count,
            s[i].properties.isAlphabetic || s[i].properties.numericType != nil || s[i] == "_"
                || s[i] == "-" || s[i] == "+"
        {
            i += 1
        }
        return i > start + 1 && i < s.count && s[i] == ":" ? i : nil
    }

    /// `<:name:id>` or `<a:name:id>` at `start`: (name, id, animated, index after `>`).
    static func customEmoji(_ s: [Unicode.Scalar], at start: Int) -> (String, String, Bool, Int)? {
        guard start + 1 < s.count, s[start] == "<" else { return nil }
        var i = start + 1
        let animated = s[i] == "a"
        if animated { i += 1 }
        guard i < s.count, s[i] == ":" else { return nil }
        let nameStart = i + 1
        var colon = nameStart + 1
        while colon < s.count, s[colon] != "\n" {
            if s[colon] == ":" {
                var j = colon + 1
                while j < s.count, s[j].value >= 48, s[j].value <= 57 { j += 1 }
                if j > colon + 1, j < s.count, s[j] == ">" {
                    let name = String(String.UnicodeScalarView(s[nameStart..<colon]))
                    let id = String(String.UnicodeScalarView(s[(colon + 1)..<j]))
                    return (name, id, animated, j + 1)
                }
            }
            colon += 1
        }
        return nil
    }

    /// The emoji object of §12.1.
    static func emojiNode(id: String?, name: String, animated: Bool, index: EmojiIndex = .shared) -> JSONValue {
        let code = id != nil ? name : (index.codes[name] ?? name)
        let url =
            id.map { "https://cdn.discordapp.com/emojis/\($0).\(animated ? "gif" : "png")" }
            ?? EmojiIndex.twemojiURL(name)
        return .object([
            .init("id", .string(id ?? "")), .init("name", .string(name)), .init("code", .string(code)),
            .init("isAnimated", .bool(animated)), .init("imageUrl", .string(url)),
        ])
    }
}
