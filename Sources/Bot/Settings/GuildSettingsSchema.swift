import Foundation

/// The guild settings the bot knows and the values each takes. `skald settings set` and the config's `defaults`
/// are checked against it, so a typo or a wrong type is refused instead of silently meaning "keep everything"
/// (a `channels` of `["abc"]` or a `clip_kinds` of `"link"` read as absent would widen what the bot keeps).
public enum GuildSettingsSchema {
    /// The clip kinds `clip_kinds` takes.
    public static let clipKinds = ["attachment", "embed", "link"]

    /// Every known key and what its value must be.
    public static let keys: [(key: String, takes: String)] = [
        ("channels", "a list of channel ids, e.g. [\"123\"] (empty: every channel)"),
        ("clip_kinds", "a list of " + clipKinds.joined(separator: ", ") + ", e.g. [\"link\"]"),
        ("max_download_mb", "a positive number of MiB, e.g. 50 (attachments larger than that are not downloaded)"),
        ("reaction", "an emoji, e.g. 🎬 or name:id"),
    ]

    /// What is wrong with `value` (a JSON value) for `key`, or nil when the bot can use it.
    public static func problem(key: String, value: Any) -> String? {
        guard let takes = keys.first(where: { $0.key == key })?.takes else {
            return "\(key) is not a setting; the settings are " + keys.map(\.key).joined(separator: ", ")
        }
        let valid: Bool
        switch key {
        case "channels":
            valid = (value as? [Any]).map { $0.allSatisfy(isChannelID) } ?? false
        case "clip_kinds":
            valid =
                (value as? [Any]).map { $0.allSatisfy { ($0 as? String).map(clipKinds.contains) ?? false } } ?? false
        case "max_download_mb":
            guard let number = value as? NSNumber, !isBoolean(number), number.doubleValue.isFinite else {
                valid = false
                break
            }
            if number.doubleValue <= 0 {
                return "max_download_mb must be a positive number of MiB, e.g. 50 (got \(number)): attachments larger "
                    + "than it are not downloaded; to download any size, leave it unset"
            }
            valid = true
        default:
            valid = (value as? String).map(isReaction) ?? false
        }
        return valid ? nil : "\(key) takes \(takes)"
    }

    /// The first problem of a settings object (the config's `defaults`), or nil.
    public static func problem(in object: [String: Any]) -> String? {
        for key in object.keys.sorted() {
            if let problem = problem(key: key, value: object[key] as Any) { return problem }
        }
        return nil
    }

    static func isChannelID(_ value: Any) -> Bool {
        if let text = value as? String { return !text.isEmpty && text.count <= 20 && UInt64(text) != nil }
        if let number = value as? NSNumber, !isBoolean(number) { return number.int64Value > 0 }
        return false
    }

    /// Whether `text` is what Discord's create-reaction route takes: one Unicode emoji (🎬, 👍🏽, 🇳🇴, 1️⃣, ©️) or a
    /// custom emoji as `name:id` (also written `<:name:id>` or `<a:name:id>`, as in a message). Before, any text was
    /// kept (`"x"`, `"not an emoji"`), which Discord would refuse at every saved clip (10014 Unknown Emoji).
    static func isReaction(_ text: String) -> Bool {
        let parts = reactionSegment(text).split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2 {
            let name = parts[0]
            let id = parts[1]
            return (2...32).contains(name.count)
                && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
                && (1...20).contains(id.count) && id.allSatisfy { $0.isASCII && $0.isNumber }
        }
        guard text.count == 1, let character = text.first else { return false }
        let scalars = character.unicodeScalars
        return scalars.contains { $0.properties.isEmojiPresentation || $0.value == 0x20E3 || $0.value == 0xFE0F }
            && scalars.contains { $0.properties.isEmoji }
    }

    /// A `reaction` as Create Reaction's route takes it: a custom emoji written as in a message (`<:name:id>`,
    /// `<a:name:id>`) becomes `name:id`; anything else stays as written.
    static func reactionSegment(_ text: String) -> String {
        guard text.hasPrefix("<") && text.hasSuffix(">") else { return text }
        var custom = Substring(text).dropFirst().dropLast()
        if custom.hasPrefix("a:") {
            custom = custom.dropFirst(2)
        } else if custom.hasPrefix(":") {
            custom = custom.dropFirst()
        }
        return String(custom)
    }

    /// Whether a JSON number is really `true`/`false` (JSONSerialization reads both as NSNumber).
    static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }
}
