import Foundation

/// Edits of a guild settings document (a JSON object) that every backend shares.
public enum SettingsDocument {
    /// The result of setting one key: the new document and the key's JSON before and after.
    public struct Change: Sendable {
        /// The whole document after the change (JSON text, keys sorted).
        public var document: String
        /// The key's value before (JSON text), nil when unset.
        public var old: String?
        /// The key's value after (JSON text), nil when removed.
        public var new: String?
    }

    /// Sets `key` to `value` (JSON text; nil removes it) in `document` (nil: an empty object).
    /// - Throws: ``ArchiveStoreError`` when the document or the value is not JSON.
    public static func set(_ key: String, to value: Data?, in document: Data?) throws -> Change {
        var object: [String: Any] = [:]
        if let document {
            guard let parsed = try? JSONSerialization.jsonObject(with: document) as? [String: Any] else {
                throw ArchiveStoreError.invalidJSON("the stored settings are not a JSON object")
            }
            object = parsed
        }
        let old = try object[key].map(text)
        if let value {
            guard let parsed = try? JSONSerialization.jsonObject(with: value, options: [.fragmentsAllowed]) else {
                throw ArchiveStoreError.invalidJSON("the value of \(key) is not JSON")
            }
            object[key] = parsed
        } else {
            object.removeValue(forKey: key)
        }
        return Change(document: try text(object), old: old, new: try object[key].map(text))
    }

    /// A JSON value as text, keys sorted.
    static func text(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(
            withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
