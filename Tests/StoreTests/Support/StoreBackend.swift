import ArchiveStore
import Foundation
import SQLiteStore
import Testing

/// A way to make a fresh, empty archive store. The conformance suite runs once per backend in ``all``; the
/// PostgreSQL backend joins by adding its factory here.
struct StoreBackend: Sendable, CustomTestStringConvertible {
    let name: String
    /// Makes an empty store; `directory` is a fresh temporary directory the store may use.
    let make: @Sendable (_ directory: URL) async throws -> any ArchiveStore

    var testDescription: String { name }

    static let sqliteFile = StoreBackend(name: "sqlite-file") { directory in
        try SQLiteArchiveStore(path: directory.appendingPathComponent("archive.sqlite").path)
    }

    static let sqliteMemory = StoreBackend(name: "sqlite-memory") { _ in try SQLiteArchiveStore.inMemory() }

    static let all: [StoreBackend] = [.sqliteFile, .sqliteMemory]

    /// Runs `body` with a fresh store in a fresh temporary directory, removed afterwards.
    func withStore(_ body: (any ArchiveStore) async throws -> Void) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await make(directory)
            try await body(store)
        }
    }
}
