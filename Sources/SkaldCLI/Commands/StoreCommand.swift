import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration

/// `skald store`: a Discord channel as a verified, encrypted, resumable object store.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Keep files in a Discord channel: chunked, hashed, optionally encrypted, resumable.",
        subcommands: [
            StorePut.self, StoreGet.self, StoreList.self, StoreStatus.self, StoreHistory.self, StoreResume.self,
            StoreVerify.self, StoreRemove.self, StoreRecover.self, StoreServeCommands.self,
        ]
    )
}
