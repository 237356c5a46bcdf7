import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration

/// `skald store status`.
struct StoreStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Incomplete uploads and catalogue counts.")
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let entries = try await options.withCatalogue { try await $0.catalogueObjects() }
        let complete = entries.filter { $0.state == .complete }
        let uploading = entries.filter { $0.state == .uploading }
        Console.out(
            "objects: \(complete.count) complete (\(complete.reduce(0) { $0 + $1.size }) bytes), "
                + "\(uploading.count) incomplete, \(entries.count - complete.count - uploading.count) removed")
        for entry in uploading {
            // An upload whose file changed while it was put, or before a resume, has no source left to resume from.
            let next =
                entry.sourcePath == nil
                ? "its file changed since the upload began: put it again (a new object), then `skald store rm "
                    + "\(entry.archiveId)` deletes what was posted of this one"
                : "run `skald store resume`"
            Console.out("incomplete: \(entry.archiveId) \(entry.objectId) \(entry.name): \(next)")
        }
    }
}
