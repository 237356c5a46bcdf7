import ArchiveStore
import DiscordModels
import Foundation
import TestSupport
import Testing

@testable import PostgresStore

/// An archive that imported DCE files before `pg-v5-imported-message-search` migrates without importing them again:
/// the index is built over the rows it holds, and the search finds them.
@Suite(.enabled(if: TestPostgres.isWanted)) struct PostgresImportedSearchMigrationTests {
    @Test func messagesImportedBeforeTheirIndexAreSearchable() async throws {
        let configuration = try TestPostgres.configuration()
        do {
            // The archive as an earlier Skald left it: the messages imported, no index.
            let store = try await PostgresArchiveStore.connect(configuration)
            try await ImportedBrowsingTests.importFile(
                [ImportedBrowsingTests.dce(1, content: "a narwhal"), ImportedBrowsingTests.dce(2, content: "x")],
                into: store)
            try await store.execute("DROP INDEX imported_message_search")
            try await store.execute("DROP INDEX imported_message_newest")
            try await store.execute("DELETE FROM skald_migrations WHERE identifier = 'pg-v5-imported-message-search'")
            await store.shutdown()
        }
        let store = try await PostgresArchiveStore.connect(configuration)
        #expect(try await store.appliedMigrations().last == "pg-v5-imported-message-search")
        let index =
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'imported_message_search'"
        #expect(try await store.texts(index).count == 1)
        let found = try await store.searchImported(MessageSearch(words: ["narwhal"]), before: nil, limit: 5)
        #expect(found.map(\.id) == [Fixture.messageID(1)])
        try await store.dropSchema()
        await store.shutdown()
    }
}
