import Crypto
import Foundation

extension FluxerCommunity {
    /// A custom emoji (fluxer-api.md §3.4).
    struct Emoji: Sendable {
        var id: UInt64
        var name: String
        var animated: Bool
        var size: Int
        var sha256: String
    }

    /// A guild sticker (§3.4): format 1 PNG or 4 GIF.
    struct Sticker: Sendable {
        var id: UInt64
        var name: String
        var description: String?
        var tags: [String]
        var format: Int
        var size: Int
        var sha256: String
    }

    /// An image's format by its first bytes: `png`, `apng` is not told apart (a PNG), `gif`, `jpeg`, `webp`.
    static func imageFormat(_ bytes: Data) -> String? {
        let head = [UInt8](bytes.prefix(12))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "png" }
        if head.starts(with: Array("GIF8".utf8)) { return "gif" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "jpeg" }
        if head.count == 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) {
            return "webp"
        }
        return nil
    }

    /// The bytes of an `image` field: base64 or a `data:` URI (§3.4).
    static func imageBytes(_ value: String?) -> Data? {
        guard var text = value, !text.isEmpty else { return nil }
        if text.hasPrefix("data:"), let comma = text.firstIndex(of: ",") {
            text = String(text[text.index(after: comma)...])
        }
        return Data(base64Encoded: text)
    }

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    /// Creates an emoji (§3.4, §7 item 26): name 2–32 of `[A-Za-z0-9_]`, image ≤ 384 KiB ([N] 512 KiB) of jpeg, png,
    /// webp or gif, animated exactly when GIF, at most `maxEmojis` static and as many animated.
    func createEmoji(name: String?, image: String?) throws(FluxerError) -> Emoji {
        guard let name, (2...32).contains(name.count),
            name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") })
        else {
            throw FluxerError(400, "INVALID_FORM_BODY", "Name must be 2-32 characters of A-Z a-z 0-9 _", path: "name")
        }
        guard let bytes = Self.imageBytes(image), let format = Self.imageFormat(bytes) else {
            throw FluxerError(400, "INVALID_FORM_BODY", "Image must be a jpeg, png, webp or gif", path: "image")
        }
        let maxBytes = configuration.flavour == .newer ? 512 << 10 : 384 << 10
        guard bytes.count <= maxBytes else {
            throw FluxerError(400, "INVALID_FORM_BODY", "Image must be at most \(maxBytes >> 10) KiB", path: "image")
        }
        let animated = format == "gif"
        guard emojis.filter({ $0.animated == animated }).count < configuration.maxEmojis else {
            throw animated
                ? FluxerError(400, "MAX_ANIMATED_EMOJIS", "Maximum number of animated emojis reached")
                : FluxerError(400, "MAX_EMOJIS", "Maximum number of emojis reached")
        }
        let emoji = Emoji(id: nextId(), name: name, animated: animated, size: bytes.count, sha256: Self.sha256(bytes))
        emojis.append(emoji)
        return emoji
    }

    /// Creates a sticker (§3.4, §7 item 26): name 2–30, description 1–100 ([N] 500), tags ≤ 10 of 1–30
    /// characters, image ≤ 512 KiB of PNG or GIF (no Lottie), at most `maxStickers`.
    func createSticker(name: String?, description: String?, tags: [String], image: String?) throws(FluxerError)
        -> Sticker
    {
        guard let name, (2...30).contains(name.count) else {
            throw FluxerError(400, "INVALID_FORM_BODY", "Name must be 2-30 characters", path: "name")
        }
        let maxDescription = configuration.flavour == .newer ? 500 : 100
        if let description, !(1...maxDescription).contains(description.count) {
            throw FluxerError(
                400, "INVALID_FORM_BODY", "Description must be 1-\(maxDescription) characters", path: "description")
        }
        guard tags.count <= 10, tags.allSatisfy({ (1...30).contains($0.count) }) else {
            throw FluxerError(400, "INVALID_FORM_BODY", "At most 10 tags of 1-30 characters", path: "tags")
        }
        guard let bytes = Self.imageBytes(image), let format = Self.imageFormat(bytes),
            format == "png" || format == "gif"
        else {
            throw FluxerError(400, "INVALID_FORM_BODY", "Image must be a png or gif", path: "image")
        }
        guard bytes.count <= 512 << 10 else {
            throw FluxerError(400, "INVALID_FORM_BODY", "Image must be at most 512 KiB", path: "image")
        }
        guard stickers.count < configuration.maxStickers else {
            throw FluxerError(400, "MAX_STICKERS", "Maximum number of stickers reached")
        }
        let sticker = Sticker(
            id: nextId(), name: name, description: description, tags: tags, format: format == "gif" ? 4 : 1,
            size: bytes.count, sha256: Self.sha256(bytes))
        stickers.append(sticker)
        return sticker
    }
}
