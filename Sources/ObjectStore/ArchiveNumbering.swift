import ArchiveStore
import Foundation

/// Hands out `#DDMMYY-NN` archive ids one at a time, so files put in parallel never get the same one: the next id
/// after both the catalogue's and those handed out already.
actor ArchiveNumbering {
    private var issued: [CatalogueObject] = []

    /// The next archive id for an object created at `date`; `existing` reads the catalogue.
    func next(for date: Date, existing: @Sendable () async throws -> [CatalogueObject]) async throws -> String {
        let known = try await existing()
        let id = ObjectStoreEngine.archiveId(for: date, existing: known + issued)
        issued.append(
            CatalogueObject(
                objectId: "", archiveId: id, name: "", channelId: "", size: 0, state: .uploading, sourcePath: nil,
                manifestJSON: "", manifestMessageId: nil, createdAt: date))
        return id
    }
}
