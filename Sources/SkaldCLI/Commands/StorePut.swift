import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration

/// `skald store put`.
struct StorePut: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put", abstract: "Upload files or folders (each file an object) to a channel.")
    @Argument(help: "Files or folders.") var paths: [String]
    @Option(name: .customLong("channel"), help: "The channel to keep the chunks in.") var channel: Snowflake<Channel>
    @Option(name: .customLong("name"), help: "The stored name (one file only).") var name: String?
    @OptionGroup var options: StoreOptions

    func run() async throws {
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw CommandFailure.Message("\(path) does not exist")
            }
            if isFolder.boolValue {
                let enumerator = FileManager.default.enumerator(atPath: path)
                while let relative = enumerator?.nextObject() as? String {
                    let full = (path as NSString).appendingPathComponent(relative)
                    var inner: ObjCBool = false
                    if FileManager.default.fileExists(atPath: full, isDirectory: &inner), !inner.boolValue {
                        files.append(full)
                    }
                }
            } else {
                files.append(path)
            }
        }
        if name != nil && files.count != 1 { throw CommandFailure.Message("--name needs exactly one file") }
        let passphrase = try options.passphrase()
        try await options.withEngine { engine, _ in
            for file in files {
                let entry = try await engine.put(path: file, channel: channel, name: name, passphrase: passphrase)
                Console.out("\(entry.archiveId)  \(entry.objectId)  \(entry.name)  \(entry.size) bytes")
            }
        }
    }
}
