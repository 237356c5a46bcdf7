import ArchiveStore
import Foundation
import PostgresNIO

extension PostgresArchiveStore: ObjectCatalogue {
    /// See ``ObjectCatalogue/saveCatalogueObject(_:)``.
    public func saveCatalogueObject(_ object: CatalogueObject) async throws {
        try await write("save store object \(object.objectId)") { connection in
            try await connection.query(
                """
                INSERT INTO store_object (object_id, archive_id, name, channel_id, size, state, source_path, manifest,
                    manifest_message_id, created_at)
                VALUES (\(object.objectId), \(object.archiveId), \(object.name), \(object.channelId), \(object.size),
                    \(object.state.rawValue), \(object.sourcePath), \(object.manifestJSON), \(object.manifestMessageId),
                    \(ColumnDate.text(object.createdAt)))
                ON CONFLICT (object_id) DO UPDATE SET archive_id = excluded.archive_id, name = excluded.name,
                    channel_id = excluded.channel_id, size = excluded.size, state = excluded.state,
                    source_path = excluded.source_path, manifest = excluded.manifest,
                    manifest_message_id = excluded.manifest_message_id, created_at = excluded.created_at
                """, logger: self.logger)
        }
    }

    /// See ``ObjectCatalogue/forgetCatalogueObject(_:)``.
    public func forgetCatalogueObject(_ objectId: String) async throws {
        try await write("forget store object \(objectId)") { connection in
            try await connection.query("DELETE FROM store_object WHERE object_id = \(objectId)", logger: self.logger)
        }
    }

    /// See ``ObjectCatalogue/catalogueObjects()``.
    public func catalogueObjects() async throws -> [CatalogueObject] {
        try await read("read the store catalogue") { connection in
            let rows = try await connection.query(
                """
                SELECT object_id, archive_id, name, channel_id, size, state, source_path, manifest,
                    manifest_message_id, created_at
                FROM store_object ORDER BY created_at, archive_id
                """, logger: self.logger
            ).collect()
            return try rows.map { row in
                let (
                    objectId, archiveId, name, channelId, size, state, sourcePath, manifest, manifestMessageId, created
                ) =
                    try row.decode(
                        (String, String, String, String, Int64, String, String?, String, String?, String).self)
                return CatalogueObject(
                    objectId: objectId, archiveId: archiveId, name: name, channelId: channelId, size: size,
                    state: CatalogueObject.State(rawValue: state) ?? .uploading, sourcePath: sourcePath,
                    manifestJSON: manifest, manifestMessageId: manifestMessageId, createdAt: ColumnDate.date(created))
            }
        }
    }
}
