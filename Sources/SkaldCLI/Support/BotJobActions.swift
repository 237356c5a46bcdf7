import Archive
import ArchiveStore
import Bot
import DiscordModels
import Export
import Foundation
import Logging

/// What each built-in job of `skald bot` does.
enum BotJobActions {
    /// The actions over `store`, with `archive` for the jobs that read Discord.
    static func make(
        store: any BotStore, archive: ArchiveConfiguration, mediaRoot: String, logger: Logger
    ) -> [String: JobRunner.Action] {
        [
            "clips-scan": { job in
                let guild = job.args["guild"].flatMap { UInt64($0) }.map { Snowflake<Guild>($0) }
                let run = try await ClipScanner(store: store).scan(
                    guild: guild, channels: [], since: nil, continuing: true)
                return "\(run.messagesScanned) messages, \(run.clipsFound) clips"
            },
            "recheck": { job in
                var configuration = archive
                configuration.recheckDays = Int(job.args["days"] ?? "") ?? 7
                let summary = try await ArchiveEngine(
                    configuration: configuration, store: store, observer: SilentArchiveObserver(), logger: logger
                ).run()
                return summary.isPartial ? "recheck partial" : "recheck done"
            },
            "export": { job in
                guard let out = job.args["out"] else { throw JobError(message: "the export job needs args.out") }
                var options = DCEExportOptions()
                options.mediaRoot = mediaRoot
                let window = ExportWindow(rawValue: job.args["window"] ?? "day") ?? .day
                var messages = 0
                for channel in try await store.channels(in: nil) where !channel.isThread && channel.type.rawValue != 4 {
                    let summary = try await WindowedExporter(store: store, options: options, window: window)
                        .export(channel: channel.id.rawValue, to: out)
                    messages += summary.messages
                }
                return "\(messages) messages exported to \(out)"
            },
            "store-verify": { _ in try await store.verifyIntegrity() },
            "vacuum": { _ in
                try await store.vacuum()
                return "vacuumed"
            },
        ]
    }
}
