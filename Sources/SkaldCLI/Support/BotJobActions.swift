import Archive
import ArchiveStore
import Bot
import DiscordModels
import Export
import Foundation
import Logging

/// What each built-in job of `skald bot` does.
enum BotJobActions {
    /// The actions over `store`, with `archive` and `io` for the jobs that read Discord.
    static func make(
        store: any BotStore, archive: ArchiveConfiguration, io: ArchiveIO, mediaRoot: String, logger: Logger
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
                    configuration: configuration, store: store, observer: SilentArchiveObserver(), logger: logger,
                    io: io
                ).run()
                return summary.isPartial ? "recheck partial" : "recheck done"
            },
            "export": { job in
                guard let out = job.args["out"] else { throw JobError(message: "the export job needs args.out") }
                var options = DCEExportOptions()
                options.mediaRoot = mediaRoot
                let window = ExportWindow(rawValue: job.args["window"] ?? "day") ?? .day
                let exporter = WindowedExporter(store: store, options: options, window: window)
                let runs = try await exporter.export(channels: try await exporter.exportableChannels(in: nil), to: out)
                let messages = runs.reduce(0) { $0 + $1.messages }
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
