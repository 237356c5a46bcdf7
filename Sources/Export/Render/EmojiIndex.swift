import Foundation

/// DiscordChatExporter 2.47's emoji index (emoji ↔ Discord shortcode), loaded once from the bundled table.
public struct EmojiIndex: Sendable {
    /// Emoji text → shortcode (`👍` → `thumbsup`).
    public let codes: [String: String]
    /// Shortcode → emoji text (`thinking` → `🤔`).
    public let emojis: [String: String]
    /// First scalars of every emoji, to skip quickly.
    let firstScalars: Set<UInt32>
    /// The longest emoji in scalars.
    let maxLength: Int

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
        var first = Set<UInt32>()
        var longest = 0
        for key in codes.keys {
            if let scalar = key.unicodeScalars.first { first.insert(scalar.value) }
            longest = max(longest, key.unicodeScalars.count)
        }
        self.firstScalars = first
        self.maxLength = longest
    }

    /// The longest emoji starting at `position` of `scalars`, as its scalar count, or 0.
    func match(_ scalars: [Unicode.Scalar], at position: Int) -> Int {
        guard firstScalars.contains(scalars[position].value) else { return 0 }
        var length = min(maxLength, scalars.count - position)
        while length > 0 {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[position..<position + length])
            if codes[String(view)] != nil { return length }
            length -= 1
        }
        return 0
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
