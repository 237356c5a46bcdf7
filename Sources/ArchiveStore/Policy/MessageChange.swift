import DiscordModels
import Foundation

/// How an incoming version of a message relates to the stored one; every backend applies the same rules.
public enum MessageChange: Sendable, Hashable {
    /// The archive does not have the message.
    case new
    /// Identical JSON, or an older or degraded view: nothing to write.
    case unchanged
    /// Same edit state, different JSON (re-signed URLs, reactions, embeds, pins): update in place, no revision.
    case refreshed
    /// A newer version: keep the stored one as a revision, then replace it.
    case edited
    /// An older version than the stored one (fetched out of order): keep it as a revision if it is not one
    /// already; the current row stays.
    case olderVersion

    /// The stored version's parts that decide.
    public struct Stored: Sendable, Hashable {
        /// The stored version's `edited_timestamp` text.
        public var editedTimestamp: String?
        /// The stored version's content.
        public var content: String
        /// The stored version's JSON text.
        public var json: String

        /// Makes the stored side.
        public init(editedTimestamp: String?, content: String, json: String) {
            self.editedTimestamp = editedTimestamp
            self.content = content
            self.json = json
        }
    }

    /// Classifies `incoming` (whose JSON text is `incomingJSON`) against `stored`.
    public static func classify(stored: Stored?, incoming: Message, incomingJSON: String) -> MessageChange {
        classify(
            stored: stored, incomingEdited: incoming.editedTimestamp?.rawValue, incomingContent: incoming.content,
            incomingJSON: incomingJSON)
    }

    /// Classifies an incoming version given by its `edited_timestamp` text, content and JSON text against `stored`.
    public static func classify(
        stored: Stored?, incomingEdited: String?, incomingContent: String, incomingJSON: String
    ) -> MessageChange {
        guard let stored else { return .new }
        if stored.json == incomingJSON { return .unchanged }
        return classify(stored: stored, incomingEdited: incomingEdited, incomingContent: incomingContent)
    }

    /// Classifies an incoming version given by its `edited_timestamp` text, content and exact JSON bytes against
    /// `stored` (the JSON compared byte for byte: no `String` is made of the incoming bytes).
    public static func classify(
        stored: Stored?, incomingEdited: String?, incomingContent: String, incomingJSON: Data
    ) -> MessageChange {
        guard let stored else { return .new }
        if sameBytes(stored.json, incomingJSON) { return .unchanged }
        return classify(stored: stored, incomingEdited: incomingEdited, incomingContent: incomingContent)
    }

    /// Whether `text`'s UTF-8 is exactly `data`.
    static func sameBytes(_ text: String, _ data: Data) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            data.withUnsafeBytes { bytes in
                utf8.count == bytes.count
                    && (utf8.isEmpty || memcmp(utf8.baseAddress!, bytes.baseAddress!, utf8.count) == 0)
            }
        }
    }

    /// The rules once the JSON differs.
    private static func classify(stored: Stored, incomingEdited: String?, incomingContent: String) -> MessageChange {
        if incomingEdited == stored.editedTimestamp {
            if incomingContent == stored.content { return .refreshed }
            // Without MESSAGE_CONTENT Discord sends "": a degraded view never replaces real content, and real
            // content replaces a degraded view without a revision (nothing is lost).
            if incomingContent.isEmpty { return .unchanged }
            if stored.content.isEmpty { return .refreshed }
            return .edited
        }
        if isOlder(incomingEdited, than: stored.editedTimestamp) { return .olderVersion }
        return .edited
    }

    /// Whether edit timestamp `a` is strictly older than `b` (`nil`, the original, is oldest).
    static func isOlder(_ a: String?, than b: String?) -> Bool {
        guard let b else { return false }
        guard let a else { return true }
        if let dateA = DiscordTimestamp.parse(a), let dateB = DiscordTimestamp.parse(b) { return dateA < dateB }
        return a < b
    }
}
