/// Discord's message markdown as HTML, escaped throughout: code blocks and inline code, bold, italic, underline,
/// strike, spoilers, quotes (`>` and `>>>`), headings, subtext, lists, masked and bare links (http(s) only),
/// mentions with names from the archive, custom emoji, `<t:…>` timestamps. The output carries no script, no
/// event attribute and no style; links open in a new tab without a referrer.
///
/// ```swift
/// let html = DiscordMarkdownHTML(names: names).render("**hi** <@80351110224678912>")
/// ```
public struct DiscordMarkdownHTML: Sendable {
    /// Names of what the text mentions, and the time zone.
    public let names: MarkdownNames
    /// The path channel mentions link to (`/channels/` in the viewer), or `nil` for no link.
    public let channelLinkPrefix: String?

    /// A renderer with `names`.
    public init(names: MarkdownNames, channelLinkPrefix: String? = nil) {
        self.names = names
        self.channelLinkPrefix = channelLinkPrefix
    }

    /// The HTML of a whole message text (block and inline markdown).
    public func render(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "```") {
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "```"), close.lowerBound > afterOpen.startIndex else { break }
            out += blocks(Self.trimmingNewline(at: .end, of: rest[..<open.lowerBound]), inQuote: false)
            out += Self.codeBlock(afterOpen[..<close.lowerBound])
            rest = Self.trimmingNewline(at: .start, of: afterOpen[close.upperBound...])
        }
        return out + blocks(rest, inQuote: false)
    }

    /// The HTML of a one-line text (inline markdown only: embed titles, field names).
    public func renderInline(_ text: String) -> String {
        inline(Array(text.unicodeScalars)[...], links: true)
    }

    // MARK: Blocks

    private enum Edge { case start, end }

    private static func trimmingNewline(at edge: Edge, of text: Substring) -> Substring {
        switch edge {
        case .start: text.first == "\n" ? text.dropFirst() : text
        case .end: text.last == "\n" ? text.dropLast() : text
        }
    }

    private static func codeBlock(_ body: Substring) -> String {
        var code = body
        var language = ""
        if let newline = body.firstIndex(of: "\n") {
            let first = body[..<newline]
            if !first.isEmpty, first.allSatisfy({ $0.isLetter || $0.isNumber || "_+#.-".contains($0) }) {
                language = String(first)
                code = body[body.index(after: newline)...]
            }
        }
        if code.last == "\n" { code = code.dropLast() }
        let lang = language.isEmpty ? "" : " data-lang=\"\(HTMLEscape.text(language))\""
        return "<pre class=\"md-codeblock\"><code\(lang)>\(HTMLEscape.text(String(code)))</code></pre>"
    }

    private enum ListKind { case bullet, numbered }

    /// Line blocks: quotes, headings, subtext and lists as elements, other lines as inline text joined by newlines
    /// (the content element keeps them with `white-space: pre-wrap`).
    private func blocks(_ text: Substring, inQuote: Bool) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var out = ""
        var lastWasText = false
        var list: (kind: ListKind, items: [String], start: Int)?
        var quote: [Substring] = []

        func flushList() {
            guard let open = list else { return }
            let tag = open.kind == .bullet ? "ul" : "ol"
            let start = open.kind == .numbered && open.start != 1 ? " start=\"\(open.start)\"" : ""
            out += "<\(tag) class=\"md-list\"\(start)>" + open.items.map { "<li>\($0)</li>" }.joined() + "</\(tag)>"
            list = nil
            lastWasText = false
        }
        func flushQuote() {
            guard !quote.isEmpty else { return }
            out +=
                "<blockquote class=\"md-quote\">" + blocks(quote.joined(separator: "\n")[...], inQuote: true)
                + "</blockquote>"
            quote = []
            lastWasText = false
        }
        func block(_ html: String) {
            flushList()
            flushQuote()
            out += html
            lastWasText = false
        }

        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            if !inQuote, line.hasPrefix(">>> ") || line == ">>>" {
                flushList()
                flushQuote()
                quote = [line.dropFirst(line == ">>>" ? 3 : 4)] + lines[index...]
                index = lines.count
                flushQuote()
                continue
            }
            if !inQuote, line.hasPrefix("> ") || line == ">" {
                flushList()
                quote.append(line.dropFirst(line == ">" ? 1 : 2))
                continue
            }
            flushQuote()
            if let (level, rest) = Self.heading(line) {
                block(
                    "<h\(level) class=\"md-heading\">\(inline(Array(rest.unicodeScalars)[...], links: true))</h\(level)>"
                )
                continue
            }
            if line.hasPrefix("-# ") {
                block(
                    "<div class=\"md-subtext\">\(inline(Array(line.dropFirst(3).unicodeScalars)[...], links: true))</div>"
                )
                continue
            }
            if let (kind, number, rest) = Self.listItem(line) {
                if list?.kind != kind { flushList() }
                let item = inline(Array(rest.unicodeScalars)[...], links: true)
                if list == nil { list = (kind, [], number) }
                list?.items.append(item)
                continue
            }
            flushList()
            if lastWasText { out += "\n" }
            out += inline(Array(line.unicodeScalars)[...], links: true)
            lastWasText = true
        }
        flushList()
        flushQuote()
        return out
    }

    private static func heading(_ line: Substring) -> (Int, Substring)? {
        for level in 1...3 {
            let marker = String(repeating: "#", count: level) + " "
            if line.hasPrefix(marker) {
                let rest = line.dropFirst(marker.count)
                return rest.allSatisfy(\.isWhitespace) ? nil : (level, rest)
            }
        }
        return nil
    }

    private static func listItem(_ line: Substring) -> (ListKind, Int, Substring)? {
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") { return (.bullet, 1, trimmed.dropFirst(2)) }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        let after = trimmed.dropFirst(digits.count)
        guard after.hasPrefix(". ") else { return nil }
        return (.numbered, Int(digits) ?? 1, after.dropFirst(2))
    }

    // MARK: Inline

    private static let escapable: Set<Unicode.Scalar> = [
        "\\", "*", "_", "~", "|", "`", "<", ">", "#", "-", "[", "]", "(", ")", ":", "@",
    ]

    private func inline(_ s: ArraySlice<Unicode.Scalar>, links: Bool) -> String {
        var out = ""
        var i = s.startIndex
        let end = s.endIndex
        func literal(_ count: Int) {
            for scalar in s[i..<min(i + count, end)] { HTMLEscape.append(scalar, to: &out) }
            i += count
        }
        while i < end {
            let c = s[i]
            switch c {
            case "\\":
                if i + 1 < end, Self.escapable.contains(s[i + 1]) {
                    i += 1
                    literal(1)
                    continue
                }
            case "`":
                var ticks = 0
                while i + ticks < end, s[i + ticks] == "`" { ticks += 1 }
                if ticks <= 2, let close = Self.run(of: "`", count: ticks, in: s, from: i + ticks),
                    close > i + ticks
                {
                    var code = String(String.UnicodeScalarView(s[(i + ticks)..<close]))
                    if ticks == 2, code.hasPrefix(" "), code.hasSuffix(" "), code.count > 2 {
                        code = String(code.dropFirst().dropLast())
                    }
                    out += "<code class=\"md-code\">\(HTMLEscape.text(code))</code>"
                    i = close + ticks
                    continue
                }
                literal(ticks)
                continue
            case "*", "_", "~", "|":
                if let (open, close, width, tag) = span(s, at: i) {
                    out += open + inline(s[(i + width)..<tag], links: links) + close
                    i = tag + width
                    continue
                }
            case "[":
                if links, let (label, url, after) = Self.maskedLink(s, at: i) {
                    out += Self.anchor(url, label: inline(label, links: false))
                    i = after
                    continue
                }
            case "<":
                if let (html, after) = angle(s, at: i, links: links) {
                    out += html
                    i = after
                    continue
                }
            case "h", "H":
                if links, i == s.startIndex || !Self.isWordScalar(s[i - 1]), let (url, after) = Self.bareURL(s, at: i) {
                    out += Self.anchor(url, label: HTMLEscape.text(url))
                    i = after
                    continue
                }
            case "@":
                if i == s.startIndex || !Self.isWordScalar(s[i - 1]),
                    let word = ["@everyone", "@here"].first(where: { Self.hasPrefix(s, $0, at: i) })
                {
                    out += "<span class=\"md-mention\">\(word)</span>"
                    i += word.unicodeScalars.count
                    continue
                }
            default:
                break
            }
            literal(1)
        }
        return out
    }

    /// A formatting span at `i`: opening and closing tags, delimiter width, index of the closing delimiter.
    private func span(_ s: ArraySlice<Unicode.Scalar>, at i: Int) -> (String, String, Int, Int)? {
        let c = s[i]
        let doubled = i + 1 < s.endIndex && s[i + 1] == c
        if doubled {
            let tags: (String, String)? =
                switch c {
                case "*": ("<strong>", "</strong>")
                case "_": ("<u>", "</u>")
                case "~": ("<s>", "</s>")
                case "|": ("<span class=\"md-spoiler\">", "</span>")
                default: nil
                }
            if let tags, var close = Self.run(of: c, count: 2, in: s, from: i + 3) {
                // `***x***`: the closing pair is the last two of the run.
                while close + 2 < s.endIndex, s[close + 2] == c, c == "*" || c == "_" { close += 1 }
                return (tags.0, tags.1, 2, close)
            }
        }
        guard c == "*" || c == "_" else { return nil }
        guard i + 1 < s.endIndex, !s[i + 1].properties.isWhitespace else { return nil }
        if c == "_", i > s.startIndex, Self.isWordScalar(s[i - 1]) { return nil }
        var j = i + 1
        while j < s.endIndex {
            if s[j] == "\\" {
                j += 2
                continue
            }
            if s[j] == c {
                if j + 1 < s.endIndex, s[j + 1] == c {
                    j += 2
                    continue
                }
                let closes =
                    c == "*"
                    ? !s[j - 1].properties.isWhitespace
                    : (j + 1 == s.endIndex || !Self.isWordScalar(s[j + 1]))
                if closes, j > i + 1 { return ("<em>", "</em>", 1, j) }
            }
            j += 1
        }
        return nil
    }

    /// `<@id>`, `<#id>`, `<@&id>`, `<:name:id>`, `<a:name:id>`, `<t:…>`, `<https://…>` at `i`.
    private func angle(_ s: ArraySlice<Unicode.Scalar>, at i: Int, links: Bool) -> (String, Int)? {
        let array = Array(s[i...])
        if let (kind, id, after) = MarkdownNames.mention(array, at: 0) {
            let html: String
            switch kind {
            case .user:
                let name = names.users[id].map { "@" + $0 } ?? "@unknown-user"
                html = "<span class=\"md-mention\" data-user-id=\"\(id)\">\(HTMLEscape.text(name))</span>"
            case .role:
                let name = names.roles[id].map { "@" + $0 } ?? "@deleted-role"
                html = "<span class=\"md-mention\">\(HTMLEscape.text(name))</span>"
            case .channel:
                let name = names.channels[id].map { "#" + $0 } ?? "#deleted-channel"
                if let prefix = channelLinkPrefix, names.channels[id] != nil {
                    html =
                        "<a class=\"md-mention\" href=\"\(HTMLEscape.text(prefix))\(id)\">\(HTMLEscape.text(name))</a>"
                } else {
                    html = "<span class=\"md-mention\">\(HTMLEscape.text(name))</span>"
                }
            }
            return (html, i + after)
        }
        if let (name, id, animated, after) = InlineEmojis.customEmoji(array, at: 0) {
            let url =
                UInt64(id).flatMap { names.emojis[$0] }
                ?? "https://cdn.discordapp.com/emojis/\(id).\(animated ? "gif" : "png")"
            let label = HTMLEscape.text(":\(name):")
            return (
                "<img class=\"md-emoji\" src=\"\(HTMLEscape.url(url))\" alt=\"\(label)\" title=\"\(label)\" loading=\"lazy\">",
                i + after
            )
        }
        if array.count > 3, array[1] == "t", array[2] == ":", let (html, after) = timestamp(array) {
            return (html, i + after)
        }
        if links, let close = array.firstIndex(of: ">"), close > 1 {
            let url = String(String.UnicodeScalarView(array[1..<close]))
            if HTMLEscape.isWebURL(url), !url.contains(where: \.isWhitespace) {
                return (Self.anchor(url, label: HTMLEscape.text(url)), i + close + 1)
            }
        }
        return nil
    }

    /// `<t:SECONDS>` or `<t:SECONDS:STYLE>` at the start of `s`: a `<time>` element in the names' zone.
    private func timestamp(_ s: [Unicode.Scalar]) -> (String, Int)? {
        guard let markup = TimestampMarkup.scan(s, at: 0), markup.digits.count <= 15 else { return nil }
        let style = markup.style ?? "f"
        guard "tTdDfFR".contains(style), let magnitude = Int64(markup.digits), magnitude < 253_402_300_800
        else { return nil }
        let negative = markup.negative
        let time = DCETime(seconds: negative ? -magnitude : magnitude)
        guard time.seconds >= -62_135_596_800 else { return nil }
        let offset = names.timeZone.offset(at: time)
        let shown = DotNetDateFormat.format(time, offset: offset, letter: style == "R" ? "g" : style) ?? ""
        let full = DotNetDateFormat.format(time, offset: offset, letter: "F") ?? ""
        let html =
            "<time class=\"md-time\" datetime=\"\(HTMLEscape.text(time.formatted(offset: 0)))\" "
            + "title=\"\(HTMLEscape.text(full))\">\(HTMLEscape.text(shown))</time>"
        return (html, markup.end)
    }

    // MARK: Links

    static func anchor(_ url: String, label: String) -> String {
        "<a class=\"md-link\" href=\"\(HTMLEscape.url(url))\" rel=\"noopener noreferrer nofollow\" "
            + "target=\"_blank\">\(label)</a>"
    }

    /// `[label](url)` with an http(s) url (optionally in `<…>`): the label, the url and the index after `)`.
    private static func maskedLink(_ s: ArraySlice<Unicode.Scalar>, at i: Int)
        -> (ArraySlice<Unicode.Scalar>, String, Int)?
    {
        guard let closeBracket = s[(i + 1)...].firstIndex(where: { $0 == "]" || $0 == "\n" }),
            s[closeBracket] == "]", closeBracket > i + 1, closeBracket + 1 < s.endIndex, s[closeBracket + 1] == "(",
            let closeParen = s[(closeBracket + 2)...].firstIndex(where: { $0 == ")" || $0 == " " || $0 == "\n" }),
            s[closeParen] == ")"
        else { return nil }
        var url = String(String.UnicodeScalarView(s[(closeBracket + 2)..<closeParen]))
        if url.hasPrefix("<"), url.hasSuffix(">") { url = String(url.dropFirst().dropLast()) }
        guard HTMLEscape.isWebURL(url) else { return nil }
        return (s[(i + 1)..<closeBracket], url, closeParen + 1)
    }

    /// A bare `http(s)://…` URL at `i` up to whitespace or `<`, without trailing punctuation.
    private static func bareURL(_ s: ArraySlice<Unicode.Scalar>, at i: Int) -> (String, Int)? {
        guard
            hasPrefix(s, "https://", at: i, caseInsensitive: true)
                || hasPrefix(s, "http://", at: i, caseInsensitive: true)
        else { return nil }
        var j = i
        while j < s.endIndex, !s[j].properties.isWhitespace, s[j] != "<", s[j] != ">", s[j] != "\"" { j += 1 }
        var opened = 0
        for scalar in s[i..<j] where scalar == "(" { opened += 1 }
        while j > i, ".,:;!?'*_~|".unicodeScalars.contains(s[j - 1]) || (s[j - 1] == ")" && opened == 0) { j -= 1 }
        let url = String(String.UnicodeScalarView(s[i..<j]))
        guard !url.hasSuffix("//"), url.count > 8 else { return nil }
        return (url, j)
    }

    private static func hasPrefix(
        _ s: ArraySlice<Unicode.Scalar>, _ prefix: String, at i: Int, caseInsensitive: Bool = false
    ) -> Bool {
        var j = i
        for scalar in prefix.unicodeScalars {
            guard j < s.endIndex else { return false }
            let candidate = caseInsensitive ? Unicode.Scalar(UInt8(truncatingIfNeeded: s[j].value) | 0x20) : s[j]
            if candidate != scalar || (caseInsensitive && s[j].value > 0x7F) { return false }
            j += 1
        }
        return true
    }

    /// The index of the next run of exactly `count` `scalar`s at or after `start`.
    private static func run(of scalar: Unicode.Scalar, count: Int, in s: ArraySlice<Unicode.Scalar>, from start: Int)
        -> Int?
    {
        var j = start
        while j < s.endIndex {
            if s[j] == scalar {
                var length = 0
                while j + length < s.endIndex, s[j + length] == scalar { length += 1 }
                if length == count || (count == 2 && length > 2 && scalar != "`") { return j }
                j += length
            } else {
                if scalar != "`", s[j] == "\\" { j += 1 }
                j += 1
            }
        }
        return nil
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
    }
}
