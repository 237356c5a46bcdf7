import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import Logging
import ObjectStore
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
    @Option(
        name: .customLong("messages-in-flight"),
        help: ArgumentHelp(
            "Chunk messages posted at once per channel (all files together): two keep the channel's rate limit "
                + "spent while a message uploads.", valueName: "n"))
    var messagesInFlight = 2
    @Flag(
        name: .customLong("progress"),
        help: "Show progress: a bar on a terminal, a line per posted chunk message on standard error in a pipe.")
    var progress = false

    /// The smallest `--chunk-limit`: an encrypted chunk must hold a byte beside its cipher's overhead, and a chunk
    /// of a few bytes would make one message per few bytes.
    static let smallestChunkLimit = 1024

    func validate() throws {
        if passphraseEnv != nil && keyFile != nil {
            throw ValidationError("give either --passphrase-env or --key-file, not both: which one is the key?")
        }
        // A chunk travels whole in one request, which Discord caps at 25 MiB (with room left for the form).
        let largest = StoreLimits().requestBytes - 64 * 1024
        guard (Self.smallestChunkLimit...largest).contains(chunkLimit) else {
            throw ValidationError(
                "--chunk-limit must be \(Self.smallestChunkLimit)...\(largest) bytes (Discord's attachment limit for "
                    + "bots is 10485760, the default), got \(chunkLimit)")
        }
        guard (1...10).contains(messagesInFlight) else {
            throw ValidationError("--messages-in-flight must be 1...10, got \(messagesInFlight)")
        }
    }

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

    /// The catalogue: the archive database `--db` names (SQLite or PostgreSQL), open and migrated. `mustExist`: for
    /// the commands that read what was put (`ls`, `get`, `verify`…), a mistyped `--db` is refused instead of made
    /// into a new, empty catalogue that answers "nothing stored"; `put`, `recover` and `serve-commands` may start one.
    func catalogue(mustExist: Bool) async throws -> any ArchiveStore & ObjectCatalogue {
        let configFile = try account.loadConfigFile()
        let location = try database.location(configFile: configFile)
        if mustExist { try StoreFactory.requireExisting(location) }
        return try await StoreFactory.openReady(location, mustExist: mustExist)
    }

    /// Runs `body` with the catalogue, closing it afterwards (`mustExist`: see ``catalogue(mustExist:)``).
    func withCatalogue<T>(
        mustExist: Bool = true, _ body: (any ArchiveStore & ObjectCatalogue) async throws -> T
    ) async throws -> T {
        let store = try await catalogue(mustExist: mustExist)
        return try await StoreFactory.closing(store) { try await body(store) }
    }

    /// The account's token (`--token`, `DISCORD_TOKEN` or the config file).
    func token() throws -> String {
        guard let token = try account.accounts(configFile: try account.loadConfigFile(), guilds: []).first?.token else {
            throw ConfigurationError.missingToken()
        }
        return token
    }

    /// An engine over `client` and the catalogue; `--messages-in-flight` chunk messages are in flight to each
    /// channel.
    func engine(
        client: DiscordClient, catalogue store: any ArchiveStore & ObjectCatalogue,
        onPosted: (@Sendable (PostedChunks) -> Void)? = nil
    ) -> ObjectStoreEngine {
        let limits = StoreLimits(attachmentBytes: chunkLimit, messagesInFlight: messagesInFlight)
        var engine = ObjectStoreEngine(client: client, catalogue: store, limits: limits)
        if let onPosted {
            engine.onPosted = onPosted
        } else if progress {
            engine.onPosted = { Console.error("posted chunks \($0.first)-\($0.last) of \($0.chunkCount) \($0.name)") }
        }
        return engine
    }

    /// Runs `body` with an engine for the account's token, closing its client and the catalogue afterwards.
    /// `longRunning` (`serve-commands`): during an edge ban its requests fail at once (a command's answer says so)
    /// and one of them probes when a probe is due, instead of the whole command stopping.
    func withEngine<T>(
        onPosted: (@Sendable (PostedChunks) -> Void)? = nil, longRunning: Bool = false, mustExist: Bool = true,
        _ body: (ObjectStoreEngine, any ArchiveStore & ObjectCatalogue) async throws -> T
    ) async throws -> T {
        let clients = account.clients(
            logger: Logger(label: "skald.store"), waitingOutBansAs: longRunning ? "store" : nil,
            failingFast: longRunning)
        return try await withCatalogue(mustExist: mustExist) { store in
            try await clients.withClient(token: try token()) { client in
                try await body(engine(client: client, catalogue: store, onPosted: onPosted), store)
            }
        }
    }

    /// Finds the entry an argument names (``CatalogueSelection/find(_:in:listing:)``).
    static func find(_ key: String, in entries: [CatalogueObject]) throws -> CatalogueObject {
        try CatalogueSelection.find(key, in: entries, listing: "`skald store ls`")
    }

    /// The entries a command acts on: the one `key` names, or every entry in `state` when no key is given.
    static func targets(
        _ key: String?, in entries: [CatalogueObject], otherwise state: CatalogueObject.State
    ) throws -> [CatalogueObject] {
        try CatalogueSelection.targets(key, in: entries, otherwise: state, listing: "`skald store ls`")
    }
}
