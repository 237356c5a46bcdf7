import Foundation

/// Which top-level JSON fields of a guild-structure object change without the object meaningfully changing
/// (counts, last message id, the token's own thread membership), so that refreshing them adds no history.
/// Every backend compares objects through ``meaningfulForm(of:kind:)``.
public enum VolatileFields {
    /// The volatile top-level keys of each kind.
    public static func keys(of kind: ObjectKind) -> Set<String> {
        switch kind {
        case .guild:
            // Roles, emojis and stickers have their own history.
            ["approximate_member_count", "approximate_presence_count", "roles", "emojis", "stickers"]
        case .channel:
            ["last_message_id", "last_pin_timestamp", "message_count", "member_count", "total_message_sent", "member"]
        case .scheduledEvent: ["user_count"]
        case .role, .emoji, .sticker, .user: []
        }
    }

    /// The JSON without volatile keys, with sorted keys, for comparison; `nil` when it is not a JSON object
    /// (then compare the bytes).
    public static func meaningfulForm(of json: Data, kind: ObjectKind) -> Data? {
        guard
            var object = (try? JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed]))
                as? [String: Any]
        else { return nil }
        for key in keys(of: kind) { object.removeValue(forKey: key) }
        return try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// Whether `incoming` differs from `stored` in a field that is not volatile.
    public static func meaningfullyDiffer(_ stored: Data, _ incoming: Data, kind: ObjectKind) -> Bool {
        if stored == incoming { return false }
        guard let a = meaningfulForm(of: stored, kind: kind), let b = meaningfulForm(of: incoming, kind: kind) else {
            return true
        }
        return a != b
    }
}
