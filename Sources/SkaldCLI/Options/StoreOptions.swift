import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration

/// The options every `skald store` subcommand takes: `skald archive`'s connection options and the key.
struct StoreOptions: ParsableArguments {
    @OptionGroup var account: AccountOptions
    @OptionGroup var database: DatabaseOptions
    @Option(
        name: .customLong("passphrase-env"),
        help: ArgumentHelp("Environment variable holding the passphrase (encrypts on put).", valueName: "var"))
    var passphraseEnv: String?
    @Option(
        name: .customLong("key-file"), help: ArgumentHelp("File whose content is the passphrase.", valueName: "path"))
    var keyFile: String?
    @Option(
        name: .customLong("chunk-limit"),
        help: ArgumentHelp("Bytes per attachment (Discord's bot limit: 10485760).", valueName: "bytes"))
    var chunkLimit: Int = 10 * 1024 * 1024
    @Flag(name: .customLong("progress"), help: "Report each posted chunk message on standard error.")
    var progress = false

    /// The passphrase, if one was named.
    func passphrase() throws -> String? {
        if let passphraseEnv {
            guard let value = ProcessInfo.processInfo.environment[passphraseEnv], !value.isEmpty else {
                throw CommandFailure.Message("--passphrase-env \(passphraseEnv): that environment variable is not set")
            }
            return value
        }
        if let keyFile {
            guard let data = FileManager.default.contents(atPath: keyFile), !data.isEmpty else {
                throw CommandFailure.Message("--key-file \(keyFile): cannot read it or it is empty")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        return nil
    }

    /// The catalogue (the archive database; SQLite for now).
    func catalogue() throws -> SQLiteArchiveStore {
        let configFile = try account.loadConfigFile()
        switch try database.location(configFile: configFile) {
        case .sqlite(let path):
            return try SQLiteArchiveStore(path: path)
        case .postgres:
            throw CommandFailure.Message(
                "skald store keeps its catalogue in a SQLite archive for now: pass --db sqlite:PATH")
        }
    }

    /// An engine with a REST client for the account's token.
    func engine() throws -> (ObjectStoreEngine, DiscordClient, SQLiteArchiveStore) {
        let configFile = try account.loadConfigFile()
        guard let token = try account.accounts(configFile: configFile, guilds: []).first?.token else {
            throw ConfigurationError.missingToken()
        }
        let client = DiscordClient(configuration: DiscordClientConfiguration(token: token, apiBase: account.apiBase))
        let store = try catalogue()
        let limits = StoreLimits(attachmentBytes: chunkLimit)
        var engine = ObjectStoreEngine(client: client, catalogue: store, limits: limits)
        if progress {
            engine.onPosted = { first, last, count in Console.error("posted chunks \(first)-\(last) of \(count)") }
        }
        return (engine, client, store)
    }

    /// Runs `body` with an engine, shutting the client down afterwards.
    func withEngine<T>(_ body: (ObjectStoreEngine, SQLiteArchiveStore) async throws -> T) async throws -> T {
        let (engine, client, store) = try engine()
        do {
            let result = try await body(engine, store)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw Self.words(error)
        }
    }

    /// Library errors of the store as the CLI's messages.
    static func words(_ error: any Error) -> any Error {
        if let error = error as? ObjectStoreError { return CommandFailure.Message(error.message) }
        return error
    }

    /// Finds the entry an argument names: object id, archive id (`#DDMMYY-NN`) or name (the newest).
    static func find(_ key: String, in entries: [CatalogueObject]) throws -> CatalogueObject {
        let live = entries.filter { $0.state != .removed }
        if let match = live.first(where: { $0.objectId == key || $0.archiveId == key || "#" + key == $0.archiveId }) {
            return match
        }
        if let match = live.last(where: { $0.name == key && $0.state == .complete })
            ?? live.last(where: { $0.name == key })
        {
            return match
        }
        throw CommandFailure.Message("no stored object is called \(key): see `skald store ls`")
    }

    /// The entries a command acts on: the one `key` names, or every entry in `state` when no key is given.
    static func targets(
        _ key: String?, in entries: [CatalogueObject], otherwise state: CatalogueObject.State
    ) throws -> [CatalogueObject] {
        try key.map { [try find($0, in: entries)] } ?? entries.filter { $0.state == state }
    }
}
