import Foundation

/// DiscordChatExporter 2.47's emoji index (emoji ↔ Discord shortcode), loaded once from the bundled table.
public struct EmojiIndex: Sendable {
    /// Emoji text → shortcode (`👍` → `thumbsup`).
    public let codes: [String: String]
    /// Shortcode → emoji text (`thinking` → `🤔`).
    public let emojis: [String: String]
    /// Every emoji of `codes` as a trie of scalars: node 0 is the root; each node's children by scalar value.
    private let children: [[UInt32: Int32]]
    /// Whether the path to a node spells an emoji of `codes`.
    private let isEmoji: [Bool]
    /// For each ASCII scalar, whether an emoji starts with it (keycaps: `#`, `*`, digits): most text is ASCII
    /// that starts none, told without a dictionary lookup.
    private let asciiStarts: [Bool]

    /// The shared index.
    public static let shared: EmojiIndex = {
        guard let url = Bundle.module.url(forResource: "EmojiIndex", withExtension: "tsv"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return EmojiIndex(codes: [:], emojis: [:]) }
        var codes: [String: String] = [:]
        var emojis: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[0] == "N" { codes[String(parts[1])] = String(parts[2]) }
            if parts[0] == "C" { emojis[String(parts[1])] = String(parts[2]) }
        }
        return EmojiIndex(codes: codes, emojis: emojis)
    }()

    init(codes: [String: String], emojis: [String: String]) {
        self.codes = codes
        self.emojis = emojis
        var children: [[UInt32: Int32]] = [[:]]
        var isEmoji = [false]
        for key in codes.keys {
            var node = 0
            for scalar in key.unicodeScalars {
                if let next = children[node][scalar.value] {
                    node = Int(next)
                } else {
                    children.append([:])
                    isEmoji.append(false)
                    children[node][scalar.value] = Int32(children.count - 1)
                    node = children.count - 1
                }
            }
            isEmoji[node] = true
        }
        self.children = children
        self.isEmoji = isEmoji
        self.asciiStarts = (0..<128).map { children[0][UInt32($0)] != nil }
    }

    /// The longest emoji starting at `position` of `scalars`, as its scalar count, or 0: one walk down the trie,
    /// no strings built.
    func match(_ scalars: [Unicode.Scalar], at position: Int) -> Int {
        if position < scalars.count, scalars[position].value < 128, !asciiStarts[Int(scalars[position].value)] {
            return 0
        }
        var node = 0
        var longest = 0
        var end = position
        while end < scalars.count, let next = children[node][scalars[end].value] {
            node = Int(next)
            end += 1
            if isEmoji[node] { longest = end - position }
        }
        return longest
    }

    /// Twemoji's SVG URL for a standard emoji: code points in lowercase hex joined with `-`, FE0F dropped unless
    /// the sequence has a ZWJ.
    public static func twemojiURL(_ emoji: String) -> String {
        let scalars = emoji.unicodeScalars
        let keepVS = scalars.contains { $0.value == 0x200D }
        let parts = scalars.filter { keepVS || $0.value != 0xFE0F }.map { String($0.value, radix: 16) }
        return "https://cdn.jsdelivr.net/gh/twitter/twemoji@latest/assets/svg/" + parts.joined(separator: "-") + ".svg"
    }
}
