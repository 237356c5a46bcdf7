import ArgumentParser
import DiscordModels
import Foundation
import ObjectStore
import UnixSignals

/// `skald store serve-commands`.
struct StoreServeCommands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-commands",
        abstract: "Answer !upload, !download, !resume, !verify, !ls, !status, !history and !help in a channel.",
        discussion: """
            Connects to the gateway (intents: guilds, guild messages, message content) and answers the commands \
            people type in the channel, posting each answer there. Only the server's owner, members with the \
            Administrator permission and those named with --allow-user and --allow-role (or in the config file's \
            "store_commands": {"allow_users": [...], "allow_roles": [...]}, added to the flags) may use them; anyone \
            else is told so once, then ignored. Prints one `skald-store commands ready` line once the session is live; \
            exits 0 on SIGTERM or SIGINT.
            """)
    @Option(name: .customLong("channel"), help: "The channel to listen in and keep the chunks in.")
    var channel: Snowflake<Channel>
    @Option(name: .customLong("out"), help: "The folder !download writes into.") var out: String = "downloads"
    @Option(
        name: .customLong("upload-folder"),
        help: "The folder whose files !upload puts when the command carries no attachment (new or changed ones).")
    var uploadFolder: String = "uploads"
    @Option(
        name: .customLong("allow-user"),
        help: "A user id who may use the commands besides the server's owner and administrators (repeatable).")
    var allowUsers: [Snowflake<User>] = []
    @Option(
        name: .customLong("allow-role"),
        help: "A role id whose members may use the commands besides the owner and administrators (repeatable).")
    var allowRoles: [Snowflake<Role>] = []
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let passphrase = try options.passphrase()
        let token = try options.token()
        let channel = channel
        let out = out
        let uploadFolder = uploadFolder
        let allowed = try options.account.loadConfigFile()?.storeCommands
        let access = StoreCommandAccess(
            users: allowUsers + (allowed?.allowUsers ?? []), roles: allowRoles + (allowed?.allowRoles ?? []))
        try await options.withEngine(longRunning: true, mustExist: false) { engine, _ in
            var bot = StoreCommandBot(
                engine: engine, token: token, channel: channel, outFolder: out, uploadFolder: uploadFolder,
                passphrase: passphrase, access: access)
            bot.onAnswer = { answer in
                if answer == nil { Console.out("skald-store commands ready channel=\(channel)") }
            }
            let running = bot
            let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
            let watcher = Task {
                for await _ in signals {
                    running.stop()
                    return
                }
            }
            defer { watcher.cancel() }
            try await running.run()
        }
    }
}
