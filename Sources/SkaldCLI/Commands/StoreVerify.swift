import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration

/// `skald store verify`.
struct StoreVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Download every chunk and check its hashes.")
    @Argument(help: "An object (default: every complete one).") var key: String?
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let passphrase = try options.passphrase()
        try await options.withEngine { engine, store in
            let entries = try await store.catalogueObjects()
            let targets = try StoreOptions.targets(key, in: entries, otherwise: .complete)
            var failures: [String] = []
            for entry in targets {
                do {
                    try await engine.verify(entry, passphrase: passphrase)
                    Console.out("ok  \(entry.archiveId)  \(entry.name)")
                } catch let error as ObjectStoreError {
                    failures.append(error.message)
                    Console.out("DAMAGED  \(error.message)")
                }
            }
            if !failures.isEmpty {
                throw CommandFailure.Message(
                    "\(failures.count) of \(targets.count) objects fail verification: \(failures[0])")
            }
        }
    }
}
