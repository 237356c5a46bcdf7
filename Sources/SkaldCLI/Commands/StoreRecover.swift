import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration

/// `skald store recover`.
struct StoreRecover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover", abstract: "Rebuild the catalogue from a channel's manifests alone.")
    @Option(name: .customLong("channel"), help: "The channel holding the objects.") var channel: Snowflake<Channel>
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let passphrase = try options.passphrase()
        try await options.withEngine(mustExist: false) { engine, _ in
            let added = try await engine.recover(channel: channel, passphrase: passphrase)
            for entry in added { Console.out("\(entry.archiveId)  \(entry.objectId)  \(entry.name)") }
            Console.out("recovered \(added.count) objects")
        }
    }
}
