import ArchiveStore
import Foundation
import Testing

extension StoreConformance {
    /// Two catalogue entries: a complete object with every field, and an interrupted upload with the optional
    /// fields empty and a name outside ASCII.
    static let catalogueEntries = [
        CatalogueObject(
            objectId: "0f1e2d3c4b5a69788796a5b4c3d2e1f0", archiveId: "#261126-01", name: "backup.tar",
            channelId: "123456789012345678", size: 35_000_000, state: .complete, sourcePath: "/data/backup.tar",
            manifestJSON: #"{"version":1,"chunks":[{"index":0,"messageId":"99"}]}"#,
            manifestMessageId: "1234567890123456789", createdAt: at),
        CatalogueObject(
            objectId: "ffeeddccbbaa99887766554433221100", archiveId: "#261126-02", name: "notes ünï 🦊.txt",
            channelId: "123456789012345678", size: 0, state: .uploading, sourcePath: nil, manifestJSON: "{}",
            manifestMessageId: nil, createdAt: at.addingTimeInterval(60)),
    ]

    /// The object store's catalogue: entries come back as saved, oldest first; saving an object id again
    /// replaces its entry (progress, completion, tombstone) instead of adding one.
    static func objectCatalogue(_ store: any ArchiveStore) async throws {
        let catalogue = try #require(store as? any ObjectCatalogue, "every backend keeps the store catalogue")
        #expect(try await catalogue.catalogueObjects().isEmpty)
        for entry in catalogueEntries.reversed() { try await catalogue.saveCatalogueObject(entry) }
        #expect(try await catalogue.catalogueObjects() == catalogueEntries)

        var finished = catalogueEntries[1]
        finished.state = .complete
        finished.manifestJSON = #"{"version":1}"#
        finished.manifestMessageId = "42"
        try await catalogue.saveCatalogueObject(finished)
        var removed = catalogueEntries[0]
        removed.state = .removed
        try await catalogue.saveCatalogueObject(removed)
        #expect(try await catalogue.catalogueObjects() == [removed, finished])
        // An upload Discord refused before posting anything is forgotten; forgetting an unknown id is no error.
        try await catalogue.forgetCatalogueObject(finished.objectId)
        try await catalogue.forgetCatalogueObject("00000000000000000000000000000000")
        #expect(try await catalogue.catalogueObjects() == [removed])
    }
}
