import ArgumentParser
import DiscordModels
import Export
import Foundation

/// `skald windows`: the windows of a channel's windowed export and their status.
struct WindowsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "windows",
        abstract: "List a channel's export windows, their status, files and counts, and the high-water mark."
    )

    @Option(name: .customLong("out"), help: "The export folder.") var out: String
    @Option(name: .customLong("channel"), help: "The channel.") var channel: Snowflake<Channel>

    func run() async throws {
        let path = WindowedExporter.channelDirectory(out, channel: channel.rawValue) + "/_state/state.json"
        guard let data = FileManager.default.contents(atPath: path),
            let state = try? JSONDecoder().decode(ExportState.self, from: data)
        else {
            throw CommandFailure.Message(
                "no export state at \(path): check --out and --channel (a windowed export writes it)")
        }
        Console.out(
            "channel \(state.channelId), window \(state.window.rawValue), high-water mark "
                + (state.highWaterMark ?? "none"))
        for window in state.windows {
            Console.out(
                window.key.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + window.status.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + "\(window.messageCount) message(s) in \(window.files.count) file(s)")
        }
        for run in state.runs {
            Console.out("run \(run.id) at \(run.at): \(run.messages) message(s), \(run.files) file(s)")
        }
    }
}
