import Foundation

/// The catalogue of `skald store`: the objects kept in Discord channels, their manifests and state.
///
/// ```swift
/// try await catalogue.saveCatalogueObject(entry)          // insert or replace by object id
/// let all = try await catalogue.catalogueObjects()         // oldest first
/// ```
public protocol ObjectCatalogue: Sendable {
    /// Inserts the entry, or replaces the one with the same object id.
    func saveCatalogueObject(_ object: CatalogueObject) async throws

    /// Every entry, tombstones included, oldest first.
    func catalogueObjects() async throws -> [CatalogueObject]

    /// Deletes the entry of `objectId`, if any: only for an upload Discord refused before any of its messages was
    /// posted (nothing of it exists to resume or remove). Everything else keeps its entry, a tombstone once removed.
    func forgetCatalogueObject(_ objectId: String) async throws
}
