import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration

/// `skald store get`.
struct StoreGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Download objects by id, name or #archive id into a folder.")
    @Argument(help: "Object ids, names or #DDMMYY-NN archive ids.") var keys: [String]
    @Option(name: .customLong("out"), help: "The folder to write into.") var out: String = "."
    @Option(name: .customLong("range"), help: "Only bytes START-END (inclusive).") var range: String?
    @OptionGroup var options: StoreOptions

    func validate() throws { _ = try bounds() }

    /// `--range` as bytes; a malformed one is a usage error.
    func bounds() throws -> ClosedRange<Int64>? {
        guard let range else { return nil }
        let parts = range.split(separator: "-", omittingEmptySubsequences: false).map { Int64($0) }
        guard parts.count == 2, let start = parts[0], let end = parts[1], start <= end else {
            throw ValidationError(
                "--range \(range): write START-END with START <= END, bytes counted from 0, e.g. 0-1023")
        }
        return start...end
    }

    func run() async throws {
        let bounds = try bounds()
        let passphrase = try options.passphrase()
        try await options.withEngine { engine, store in
            let entries = try await store.catalogueObjects()
            // Each object on its own: a damaged or unknown one does not keep the others from being written.
            var failures: [String] = []
            for key in keys {
                do {
                    let entry = try StoreOptions.find(key, in: entries)
                    let path = try await engine.get(entry, into: out, range: bounds, passphrase: passphrase)
                    Console.out(path)
                } catch let error as ObjectStoreError where keys.count > 1 {
                    failures.append(error.message)
                    Console.out("FAILED  \(key)")
                }
            }
            if !failures.isEmpty {
                throw CommandFailure.Message(
                    "\(failures.count) of \(keys.count) objects could not be written: "
                        + failures.joined(separator: "; "))
            }
        }
    }
}
