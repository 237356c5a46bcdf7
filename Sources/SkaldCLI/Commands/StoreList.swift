import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration

/// `skald store ls`.
struct StoreList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the stored objects.")
    @Flag(name: .customLong("json"), help: "One JSON array.") var json = false
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let entries = try await options.withCatalogue { try await $0.catalogueObjects() }.filter {
            $0.state != .removed
        }
        if json {
            let rows = entries.map {
                [
                    "objectId": $0.objectId, "archiveId": $0.archiveId, "name": $0.name, "size": String($0.size),
                    "state": $0.state.rawValue, "channelId": $0.channelId,
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys])
            Console.out(String(decoding: data, as: UTF8.self))
            return
        }
        for entry in entries {
            Console.out("\(entry.archiveId)  \(entry.objectId)  \(entry.state.rawValue)  \(entry.size)  \(entry.name)")
        }
    }
}
