import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration

/// `skald store history`.
struct StoreHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "The latest uploads.")
    @Option(name: .short, help: "How many.") var count = 5
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let entries = try await options.withCatalogue { try await $0.catalogueObjects() }
        for entry in entries.suffix(max(count, 0)).reversed() {
            Console.out(
                "\(entry.archiveId)  \(DiscordTimestamp.format(entry.createdAt))  \(entry.state.rawValue)  \(entry.name)"
            )
        }
    }
}
