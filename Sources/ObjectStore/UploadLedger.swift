import ArchiveStore
import Foundation

/// The catalogue entry of one upload while its chunk messages go up several at once: every change to its manifest
/// goes through here and is saved in the order it was made.
///
/// Before a chunk message is posted, the hashes of its chunks are saved (no message id yet). A run killed while the
/// message is in flight leaves them: the rerun posts that message again under the same nonce, and Discord may answer
/// with the message the killed run created, holding the bytes the file held then. The rerun compares the saved
/// hashes with the file's bytes now before it posts anything, and refuses a file changed in those chunks instead of
/// finishing an object whose chunk is not the file's.
actor UploadLedger {
    /// The entry as last saved (its `manifestJSON` is `manifest`'s).
    private(set) var entry: CatalogueObject
    /// The manifest as last changed.
    private(set) var manifest: ObjectManifest
    private let catalogue: any ObjectCatalogue
    /// The last save, which the next one waits for: an actor method suspended in its save lets another begin.
    private var saving: Task<Void, any Error>?

    /// A ledger over `entry`, whose manifest is `manifest`.
    init(entry: CatalogueObject, manifest: ObjectManifest, catalogue: any ObjectCatalogue) {
        self.entry = entry
        self.manifest = manifest
        self.catalogue = catalogue
    }

    /// Saves the plain hashes of `group`'s chunks before their message is posted.
    func willPost(_ group: [Int], plainHashes: [String]) async throws {
        for (slot, index) in group.enumerated() { manifest.chunks[index].sha256 = plainHashes[slot] }
        try await save()
    }

    /// Saves the message that carries `group`, with its chunks' hashes.
    func posted(_ group: [Int], _ posted: ObjectStoreEngine.PostedGroup) async throws {
        for (slot, index) in group.enumerated() {
            manifest.chunks[index].messageId = posted.messageId
            manifest.chunks[index].attachmentIndex = slot
            manifest.chunks[index].sha256 = posted.plainHashes[slot]
            manifest.chunks[index].storedSha256 = posted.storedHashes[slot]
        }
        try await save()
    }

    /// Forgets the upload's file: a `resume` would post the rest of a file that changed.
    func forgetSource() async throws {
        entry.sourcePath = nil
        try await save()
    }

    private func save() async throws {
        entry.manifestJSON = String(decoding: try manifest.encoded(), as: UTF8.self)
        let snapshot = entry
        let previous = saving
        let next = Task { [catalogue] in
            _ = try? await previous?.value
            try await catalogue.saveCatalogueObject(snapshot)
        }
        saving = next
        try await next.value
    }
}
