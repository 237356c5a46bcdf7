import Foundation

/// What upserting a guild-structure object does, decided from the stored row: the one rule every backend
/// executes (``VolatileFields`` tells a meaningful change from a refresh).
public enum ObjectUpsert: Sendable, Hashable {
    /// The archive does not have the object: insert it.
    case insert
    /// Identical JSON and not tombstoned: write nothing.
    case unchanged
    /// Only volatile fields differ, or a tombstoned object came back unchanged: update the row (clearing the
    /// tombstone), keep no history.
    case refresh
    /// A meaningful change: save the stored JSON in `object_history` (valid from its `changed_at`), then update the
    /// row and its `changed_at`.
    case change

    /// The stored row's parts that decide.
    public struct Stored: Sendable, Hashable {
        /// The stored JSON text.
        public var json: String
        /// Whether the row has a tombstone.
        public var deleted: Bool

        /// Makes the stored side.
        public init(json: String, deleted: Bool) {
            self.json = json
            self.deleted = deleted
        }
    }

    /// Decides how to store an object of `kind` whose JSON text is `json` (bytes `data`) against `stored`.
    public static func decide(stored: Stored?, json: String, data: Data, kind: ObjectKind) -> ObjectUpsert {
        guard let stored else { return .insert }
        if stored.json == json { return stored.deleted ? .refresh : .unchanged }
        return VolatileFields.meaningfullyDiffer(Data(stored.json.utf8), data, kind: kind) ? .change : .refresh
    }

    /// What this decision adds to a summary.
    public var changes: ObjectChanges {
        switch self {
        case .insert: ObjectChanges(inserted: 1)
        case .unchanged: ObjectChanges(unchanged: 1)
        case .refresh: ObjectChanges(refreshed: 1)
        case .change: ObjectChanges(changed: 1)
        }
    }
}
