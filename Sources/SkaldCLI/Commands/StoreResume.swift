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
            // One upload that cannot finish (its file gone, its channel refused) does not keep the others waiting.
            var failures: [String] = []
            for entry in targets {
                do {
                    let done = try await engine.resume(entry, passphrase: passphrase)
                    Console.out("\(done.archiveId)  \(done.objectId)  \(done.state.rawValue)  \(done.name)")
                } catch  where targets.count > 1 {
                    let message = CommandFailure.message(for: error) ?? "\(error)"
                    failures.append("\(entry.archiveId) (\(entry.name)): \(message)")
                    Console.out("FAILED  \(entry.archiveId)  \(entry.objectId)  \(entry.name)")
                }
            }
            if !failures.isEmpty {
                throw CommandFailure.Message(
                    "\(failures.count) of \(targets.count) incomplete uploads could not be finished: "
                        + failures.joined(separator: "; "))
            }
        }
    }
}
