import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration

/// `skald store rm`.
struct StoreRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Delete an object's messages; the catalogue keeps a tombstone.")
    @Argument(help: "The object.") var key: String
    @OptionGroup var options: StoreOptions

    func run() async throws {
        try await options.withEngine { engine, store in
            let entry = try StoreOptions.find(key, in: try await store.catalogueObjects())
            let removed = try await engine.remove(entry)
            Console.out("removed \(removed.archiveId) \(removed.name)")
        }
    }
}
