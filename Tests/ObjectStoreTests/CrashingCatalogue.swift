import ArchiveStore
import Foundation

/// A catalogue that stops answering after a number of saves, as if the process died between posting a
/// message and recording it.
final class CrashingCatalogue: ObjectCatalogue, @unchecked Sendable {
    struct Crash: Error {}

    let inner: any ObjectCatalogue
    let lock = NSLock()
    var remaining: Int

    init(inner: any ObjectCatalogue, failOnSave: Int) {
        self.inner = inner
        self.remaining = failOnSave
    }

    func saveCatalogueObject(_ object: CatalogueObject) async throws {
        let crash = lock.withLock {
            remaining -= 1
            return remaining == 0
        }
        if crash { throw Crash() }
        try await inner.saveCatalogueObject(object)
    }

    func catalogueObjects() async throws -> [CatalogueObject] { try await inner.catalogueObjects() }

    func forgetCatalogueObject(_ objectId: String) async throws { try await inner.forgetCatalogueObject(objectId) }
}
