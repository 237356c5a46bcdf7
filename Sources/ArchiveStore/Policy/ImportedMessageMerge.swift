import DiscordModels
import Foundation

/// How an imported DCE message meets the version already imported: the later state wins and the other version is
/// kept as a revision, whatever order the files are imported in. Every backend applies these rules.
///
/// "Later" compares, in order: the edit state (a message with `timestampEdited` is later than the same message
/// without it, a later `timestampEdited` is later than an earlier one), then the export's own `exportedAt` (a file
/// without one is older than any file with one). When both are equal the file imported last wins, as before.
///
/// ```swift
/// switch ImportedMessageMerge.decide(stored: old, incoming: new) {
/// case .replace: …   // write `new`, keep `old.json` as a revision
/// case .keepStored: … // keep `old`, keep `new.json` as a revision unless it is one already
/// default: …
/// }
/// ```
public enum ImportedMessageMerge: Sendable, Hashable {
    /// The message was never imported: insert it.
    case new
    /// Identical JSON: nothing to write.
    case unchanged
    /// The incoming version is the later state: it replaces the stored one, which becomes a revision.
    case replace
    /// The stored version is the later state: it stays, the incoming one becomes a revision.
    case keepStored

    /// One version of an imported message: its DCE JSON text and the `exportedAt` of its file.
    public struct Version: Sendable, Hashable {
        /// The compact DCE message object.
        public var json: String
        /// The file's `exportedAt` in microseconds since 1970, `nil` when the file had none.
        public var exportedAt: Int64?

        /// Makes a version.
        public init(json: String, exportedAt: Int64?) {
            self.json = json
            self.exportedAt = exportedAt
        }

        /// The message's `timestampEdited` in microseconds since 1970 (`nil`: never edited, or unreadable).
        public var editedAt: Int64? {
            guard let raw = JSONScanner.member("timestampEdited", in: Data(json.utf8)),
                let text = String(data: raw, encoding: .utf8), text.hasPrefix("\""), text.hasSuffix("\""),
                text.count >= 2
            else { return nil }
            return ImportedMessageMerge.microseconds(String(text.dropFirst().dropLast()))
        }
    }

    /// Decides what importing `incoming` does when `stored` is the version held (`nil`: none).
    public static func decide(stored: Version?, incoming: Version) -> ImportedMessageMerge {
        guard let stored else { return .new }
        if stored.json == incoming.json { return .unchanged }
        let a = incoming.editedAt
        let b = stored.editedAt
        if a != b { return isEarlier(a, than: b) ? .keepStored : .replace }
        return isEarlier(incoming.exportedAt, than: stored.exportedAt) ? .keepStored : .replace
    }

    /// Whether `a` is strictly earlier than `b`, `nil` being the earliest.
    static func isEarlier(_ a: Int64?, than b: Int64?) -> Bool {
        guard let b else { return false }
        guard let a else { return true }
        return a < b
    }

    /// An ISO 8601 instant (DCE writes seven fractional digits and the exporter's offset) in microseconds since
    /// 1970; `nil` when it is not one.
    public static func microseconds(_ text: String) -> Int64? {
        DiscordTimestamp.parse(text).map(microseconds)
    }

    /// An instant in microseconds since 1970.
    public static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }
}
