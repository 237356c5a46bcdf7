import ArchiveStore

/// Which catalogue entries a key names, for the command line and the channel commands alike: an object id, an
/// archive id (with or without its `#`), or a name (the newest complete object of that name, else the newest).
///
/// ```swift
/// let entry = try CatalogueSelection.find("backup.tar", in: entries, listing: "`skald store ls`")
/// ```
public enum CatalogueSelection {
    /// The entry `key` names; `listing` is how the user lists the objects, named when nothing matches.
    public static func find(_ key: String, in entries: [CatalogueObject], listing: String) throws -> CatalogueObject {
        let live = entries.filter { $0.state != .removed }
        if let match = live.first(where: { names($0, key) }) { return match }
        if let match = live.last(where: { $0.name == key && $0.state == .complete })
            ?? live.last(where: { $0.name == key })
        {
            return match
        }
        if let removed = entries.last(where: { names($0, key) || $0.name == key }) {
            throw ObjectStoreError(
                "\(removed.archiveId) (\(removed.name)) was removed (`skald store rm`): its messages were deleted "
                    + "from Discord; see \(listing) for what is stored")
        }
        throw ObjectStoreError("no stored object is called \(key): see \(listing)")
    }

    /// The entries a command acts on: the one `key` names, or every entry in `state` when no key is given.
    public static func targets(
        _ key: String?, in entries: [CatalogueObject], otherwise state: CatalogueObject.State, listing: String
    ) throws -> [CatalogueObject] {
        try key.map { [try find($0, in: entries, listing: listing)] } ?? entries.filter { $0.state == state }
    }

    /// Whether `key` is the entry's object id or archive id.
    static func names(_ entry: CatalogueObject, _ key: String) -> Bool {
        entry.objectId == key || entry.archiveId == key || "#" + key == entry.archiveId
    }
}
