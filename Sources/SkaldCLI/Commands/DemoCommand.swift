import Archive
import ArgumentParser
import ConsoleKitTerminal
import DiscordSimulator
import Foundation
import SkaldConfiguration

/// `skald demo`: archive a generated community from the built-in simulator, with no token and no network.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Archive a simulated Discord community into ./skald-demo/ (no token, no network).",
        discussion: """
            Starts the Discord simulator in this process on a free loopback port, with Discord's rate limits, \
            generates two guilds of channels, threads and messages, and runs `skald archive` against it. Run it \
            twice: the second run only catches up.
            """
    )

    @Option(name: .customLong("out"), help: ArgumentHelp("Folder for the demo archive.", valueName: "dir"))
    var directory: String = "skald-demo"
    @Option(help: "Seed of the generated community.") var seed: UInt64 = 7
    @Option(help: "Messages per channel.") var messages: Int = 600

    func run() async throws {
        let mode = OutputMode.detect()
        var simulator = SimulatorConfiguration()
        simulator.seed = seed
        simulator.guilds = 2
        simulator.channelsPerGuild = 6
        simulator.messagesPerChannel = messages
        simulator.threadsPerGuild = 8
        simulator.latency = .milliseconds(20)
        let sim = try await SimulatorServer.start(simulator)
        Console.out(
            "Simulator".consoleText(.info) + " listening on \(sim.baseURL) (Discord rate limits on)".consoleText(), mode
        )
        let database = "sqlite:" + directory.appendingPathComponentSafe("archive.sqlite")
        let code = try await ArchiveRunner.run(mode: mode) {
            var configuration = ArchiveConfiguration(accounts: [.init(name: "demo-bot", token: sim.tokens[0])])
            configuration.apiBase = sim.apiBase
            configuration.recheckDays = 30
            configuration.media = true
            configuration.mediaDirectory = directory.appendingPathComponentSafe("media")
            return (configuration, try DatabaseLocation(parsing: database))
        }
        let firstGuild = sim.guildIDs.first.map(String.init(describing:)) ?? "ID"
        await sim.shutdown()
        Console.out("")
        Console.out("Try next:".consoleText(isBold: true), mode)
        Console.out("  swift run skald stats --db \(database)")
        Console.out("  swift run skald serve --db \(database)    # browse and search it at http://127.0.0.1:8080")
        Console.out("  swift run skald export --db \(database) --guild \(firstGuild) --out exports  # DCE JSON files")
        // The same world again (a rerun with other options archives another world beside this one).
        var again = "swift run skald demo"
        if directory != "skald-demo" { again += " --out \(directory)" }
        if seed != 7 { again += " --seed \(seed)" }
        if messages != 600 { again += " --messages \(messages)" }
        Console.out(
            "  \(again.padding(toLength: max(again.count, 31), withPad: " ", startingAt: 0)) # again: only catches up")
        Console.out("  swift run skald sim --help      # run the simulator yourself")
        Console.out("  swift run skald archive --help  # archive a real guild with DISCORD_TOKEN")
        if code != 0 { throw ExitCode(code) }
    }
}
