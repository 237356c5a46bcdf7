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
            people type in the channel, posting each answer there. Prints one `skald-store commands ready` line \
            once the session is live; exits 0 on SIGTERM or SIGINT.
            """)
    @Option(name: .customLong("channel"), help: "The channel to listen in and keep the chunks in.")
    var channel: Snowflake<Channel>
    @Option(name: .customLong("out"), help: "The folder !download writes into.") var out: String = "downloads"
    @Option(
        name: .customLong("upload-folder"),
        help: "The folder whose files !upload puts when the command carries no attachment (new or changed ones).")
    var uploadFolder: String = "uploads"
    @OptionGroup var options: StoreOptions

    func run() async throws {
        let passphrase = try options.passphrase()
        let token = try options.token()
        let channel = channel
        let out = out
        let uploadFolder = uploadFolder
        try await options.withEngine(longRunning: true, mustExist: false) { engine, _ in
            var bot = StoreCommandBot(
                engine: engine, token: token, channel: channel, outFolder: out, uploadFolder: uploadFolder,
                passphrase: passphrase)
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
