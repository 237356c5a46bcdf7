import ArchiveStore
import ArgumentParser
import DiscordREST
import Foundation
import Logging
import Mirror

/// `skald mirror verify`: compares a mirror's target with the archive, channel by channel.
struct MirrorVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare a mirror's target with the archive: counts, order, duplicates and a sample of texts.",
        discussion: """
            Reads every message of each mirrored channel on the target (no write). Exits 1 when a channel \
            differs: copies missing or unrecorded (duplicates), out of order, parts left to send, or sampled \
            texts that differ from what the mirror sends.
            """
    )

    @OptionGroup var options: MirrorTargetOptions
    @Option(help: "Copies per channel whose text is compared.") var sample = 5

    func run() async throws {
        let location = try options.database.location()
        let reports = try await StoreFactory.withExisting(location) { store in
            try await options.withTarget(logger: Logger(label: "skald.mirror"), say: { print($0) }) { target in
                let sourceGuild = try await options.sourceGuild(in: store)
                _ = try await target.checkGuild()
                try await target.checkService()
                let plan = try await MirrorPlanner(store: store).plan(
                    sourceGuild: sourceGuild, target: options.targetKey, only: options.selection,
                    excluding: Set(options.excludedChannels), after: options.after?.snowflake.rawValue,
                    keepingChannelTypes: target.keepsChannelTypes)
                var verifier = MirrorVerifier(store: store, target: target)
                verifier.samplePerChannel = sample
                verifier.attachments = MirrorAttachments(mediaRoot: nil, caps: options.uploadCaps(for: target))
                return try await verifier.verify(plan)
            }
        }
        for report in reports { MirrorCommand.say(report.line) }
        let bad = reports.filter { !$0.isComplete }
        if reports.isEmpty {
            MirrorCommand.say(
                "mirror verify: nothing mirrored to \(options.targetKey) yet: run `skald mirror` with the same options "
                    + "first")
            throw ExitCode(1)
        }
        guard bad.isEmpty else {
            MirrorCommand.say(
                "mirror verify: \(bad.count) of \(reports.count) channels differ; rerun `skald mirror` to continue")
            throw ExitCode(1)
        }
        MirrorCommand.say("mirror verify: \(reports.count) channels match the archive")
    }
}
