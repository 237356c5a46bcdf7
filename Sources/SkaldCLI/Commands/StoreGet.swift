import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration
import Synchronization

/// `skald store get`.
struct StoreGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Download objects by id, name or #archive id into a folder.")
    @Argument(help: "Object ids, names or #DDMMYY-NN archive ids.") var keys: [String]
    @Option(name: .customLong("out"), help: "The folder to write into.") var out: String = "."
    @Option(name: .customLong("range"), help: "Only bytes START-END (inclusive).") var range: String?
    @OptionGroup var options: StoreOptions

    func run() async throws {
        var bounds: ClosedRange<Int64>?
        if let range {
            let parts = range.split(separator: "-").compactMap { Int64($0) }
            guard parts.count == 2, parts[0] <= parts[1] else {
                throw CommandFailure.Message("--range \(range): write START-END, e.g. 0-1023")
            }
            bounds = parts[0]...parts[1]
        }
        let passphrase = try options.passphrase()
        let (options, keys, out, range) = (options, keys, out, bounds)
        // Each file is said once complete, so an interrupted download has said what it kept.
        let done = Mutex(0)
        try await Interruption.runOrStop {
            try await options.withEngine { engine, store in
                let entries = try await store.catalogueObjects()
                for key in keys {
                    let entry = try StoreOptions.find(key, in: entries)
                    let path = try await engine.get(entry, into: out, range: range, passphrase: passphrase)
                    Console.out(path)
                    done.withLock { $0 += 1 }
                }
            }
        } kept: { _ in
            "\(done.withLock { $0 }) of \(keys.count) file(s) were downloaded (listed above); a file being "
                + "downloaded when the signal came was removed. Run the same command again: the files already complete are kept (their "
                + "SHA-256 is checked) and the others downloaded"
        }
    }
}
