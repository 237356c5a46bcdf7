import ArgumentParser

/// The `skald` executable: parses arguments and hands over to the libraries.
@main
struct SkaldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skald",
        abstract: "Keep a Discord community's history safe and useful outside Discord.",
        discussion: """
            Start with `skald demo`: it runs the built-in Discord simulator and archives it, with no token \
            and no network.
            """,
        subcommands: [
            DemoCommand.self, ArchiveCommand.self, StatsCommand.self, SimCommand.self, ExportCommand.self,
            ImportCommand.self, VerifyCommand.self, CombineCommand.self, WindowsCommand.self,
            MigrateStoreCommand.self, WatchCommand.self,
        ]
    )
}
