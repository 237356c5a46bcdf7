import ArgumentParser
import DiscordModels
import Export
import Foundation

/// `skald combine`: one DCE JSON file from a windowed export.
struct CombineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "combine",
        abstract: "Join a channel's windowed export files into one DCE JSON file."
    )

    @Option(name: .customLong("out"), help: "The export folder.") var out: String
    @Option(name: .customLong("channel"), help: "The channel.") var channel: Snowflake<Channel>
    @Option(name: .customLong("output-file"), help: "The file to write.") var outputFile: String
    @Flag(name: .customLong("dedupe"), help: "Write each message id once.") var dedupe = false
    @Flag(name: .customLong("include-unowned"), help: "Include files that do not own their messages.")
    var includeUnowned = false

    func run() async throws {
        var combiner = ExportCombiner(root: out)
        combiner.dedupe = dedupe
        combiner.includeUnowned = includeUnowned
        let count = try combiner.combine(channel: channel.rawValue, into: outputFile)
        Console.out("\(outputFile): \(count) message(s)")
    }
}
