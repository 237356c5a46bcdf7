import ArchiveStore
import Foundation
import ObjectStore

/// A catalogue that stops answering at the save recording the n-th posted chunk message, as if the process died
/// between posting a message and recording it. (Saves that record no new message, such as the hashes saved before
/// a post, are let through.)
final class CrashingCatalogue: ObjectCatalogue, @unchecked Sendable {
    struct Crash: Error {}

    let inner: any ObjectCatalogue
    let lock = NSLock()
    var remaining: Int
    /// Chunks with a message id in the last save let through.
    var recorded = 0

    init(inner: any ObjectCatalogue, failOnRecord: Int) {
        self.inner = inner
        self.remaining = failOnRecord
    }

    func saveCatalogueObject(_ object: CatalogueObject) async throws {
        let withMessages =
            ObjectManifest.decode(Data(object.manifestJSON.utf8))?.chunks.filter { $0.messageId != nil }.count ?? 0
        let crash = lock.withLock {
            guard withMessages > recorded else { return false }
            remaining -= 1
            if remaining > 0 { recorded = withMessages }
            return remaining == 0
        }
        if crash { throw Crash() }
        try await inner.saveCatalogueObject(object)
    }

    func catalogueObjects() async throws -> [CatalogueObject] { try await inner.catalogueObjects() }

    func forgetCatalogueObject(_ objectId: String) async throws { try await inner.forgetCatalogueObject(objectId) }
}
