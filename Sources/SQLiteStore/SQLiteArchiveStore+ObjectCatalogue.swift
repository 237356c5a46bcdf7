import ArchiveStore
import Foundation
import GRDB

extension SQLiteArchiveStore: ObjectCatalogue {
    /// See ``ObjectCatalogue/saveCatalogueObject(_:)``.
    public func saveCatalogueObject(_ object: CatalogueObject) async throws {
        try await write("save store object \(object.objectId)") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO store_object (object_id, archive_id, name, channel_id, size, state,
                        source_path, manifest, manifest_message_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    object.objectId, object.archiveId, object.name, object.channelId, object.size,
                    object.state.rawValue, object.sourcePath, object.manifestJSON, object.manifestMessageId,
                    ColumnDate.text(object.createdAt),
                ])
        }
    }

    /// See ``ObjectCatalogue/forgetCatalogueObject(_:)``.
    public func forgetCatalogueObject(_ objectId: String) async throws {
        try await write("forget store object \(objectId)") { db in
            try db.execute(sql: "DELETE FROM store_object WHERE object_id = ?", arguments: [objectId])
        }
    }

    /// See ``ObjectCatalogue/catalogueObjects()``.
    public func catalogueObjects() async throws -> [CatalogueObject] {
        try await read("read the store catalogue") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM store_object ORDER BY created_at, archive_id").map { row in
                let created: String = row["created_at"]
                return CatalogueObject(
                    objectId: row["object_id"], archiveId: row["archive_id"], name: row["name"],
                    channelId: row["channel_id"], size: row["size"],
                    state: CatalogueObject.State(rawValue: row["state"]) ?? .uploading, sourcePath: row["source_path"],
                    manifestJSON: row["manifest"], manifestMessageId: row["manifest_message_id"],
                    createdAt: ColumnDate.date(created))
            }
        }
    }
}
