import ArgumentParser
import DiscordREST
import Foundation

/// The `skald` executable: parses arguments and hands over to the libraries.
@main
struct SkaldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skald",
        abstract: "Keep a Discord community's history safe and useful outside Discord.",
        discussion: """
            Start with `skald demo`: it runs the built-in Discord simulator and archives it, with no token \
            and no network.

            Every command reports an error as one `error:` line that names the object, the cause and what to do, \
            and exits 1 (usage errors 64). Logging: --log-level or SKALD_LOG_LEVEL (trace, debug, info, notice, \
            warning, error, critical) on standard error.
            """,
        version: DiscordClientConfiguration.skaldVersion,
        subcommands: [
            DemoCommand.self, ArchiveCommand.self, StatsCommand.self, SimCommand.self, ExportCommand.self,
            ImportCommand.self, VerifyCommand.self, CombineCommand.self, WindowsCommand.self,
            MigrateStoreCommand.self, ServeCommand.self, WatchCommand.self, StoreCommand.self, MirrorCommand.self,
            FluxerSimCommand.self, ClipsCommand.self, BotCommand.self, SettingsCommand.self, JobsCommand.self,
        ]
    )

    /// Parses, bootstraps logging once, runs the command, and reports any error through ``CommandFailure``.
    static func main() async {
        // A reader that goes away (`skald clips ls | head`) must not kill a command that still has work to commit:
        // writes to a closed pipe fail quietly (see `Console`) instead of raising SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            CommandFailure.exit(with: error, root: self)
        }
        do {
            LogSetup.bootstrap(for: command)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            CommandFailure.exit(with: error, root: self, command: type(of: command))
        }
    }
}
