import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration

/// `skald store resume`.
struct StoreResume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Finish interrupted uploads, posting only the missing chunks.")
    @Argument(help: "An object (default: every incomplete one).") var key: String?
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let passphrase = try options.passphrase()
        try await options.withEngine { engine, store in
            let entries = try await store.catalogueObjects()
            let targets = try StoreOptions.targets(key, in: entries, otherwise: .uploading)
            for entry in targets {
                let done = try await engine.resume(entry, passphrase: passphrase)
                Console.out("\(done.archiveId)  \(done.objectId)  \(done.state.rawValue)  \(done.name)")
            }
        }
    }
}
