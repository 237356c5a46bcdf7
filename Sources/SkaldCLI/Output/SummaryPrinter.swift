import Archive
import Foundation

/// Prints an ``ArchiveSummary``: per guild what was archived, what was skipped and why, what failed.
enum SummaryPrinter {
    static func print(_ summary: ArchiveSummary, mode: OutputMode) {
        let seconds = (summary.finishedAt ?? Date()).timeIntervalSince(summary.startedAt)
        Console.out("")
        Console.out(mode.paint("Summary", .bold) + String(format: " (%.1f s)", seconds))
        for guild in summary.guilds {
            Console.out(
                "  \(mode.paint(guild.name, .cyan)) [\(guild.guildId)] via \(guild.account): "
                    + "\(guild.channels) channels, \(guild.threads) threads, "
                    + "\(guild.messagesInserted.formatted()) new messages (\(guild.messagesStored.formatted()) fetched), "
                    + "\(guild.attachments.formatted()) attachments"
                    + (guild.edits > 0 ? ", \(guild.edits) edits" : "")
                    + (guild.deletions > 0 ? ", \(guild.deletions) deletions" : ""))
            for note in guild.notes { Console.out("    " + mode.paint("note: ", .yellow) + note) }
            for skip in guild.skipped {
                Console.out(
                    "    " + mode.paint("skipped ", .yellow) + "\(skip.label) [\(skip.channelId)]: \(skip.reason)")
            }
            for failure in guild.failed {
                Console.out(
                    "    " + mode.paint("FAILED ", .red) + "\(failure.label) [\(failure.channelId)]: \(failure.reason)")
            }
        }
        if summary.mediaDownloaded > 0 || summary.mediaFailed > 0 {
            Console.out("  media: \(summary.mediaDownloaded) downloaded, \(summary.mediaFailed) failed")
            let shown = 20
            for failure in summary.mediaFailures.prefix(shown) {
                Console.out(
                    "    " + mode.paint("FAILED ", .red)
                        + "attachment \(failure.attachmentId) (\(failure.filename)): \(failure.reason)")
            }
            if summary.mediaFailures.count > shown {
                Console.out("    … and \(summary.mediaFailures.count - shown) more failed attachment(s)")
            }
        }
        if summary.isPartial {
            let channels = summary.guilds.reduce(0) { $0 + $1.failed.count }
            var parts: [String] = []
            if channels > 0 { parts.append("\(channels) channel(s)") }
            if summary.mediaFailed > 0 { parts.append("\(summary.mediaFailed) attachment download(s)") }
            Console.out(
                mode.paint("Partial archive: ", .red)
                    + "\(parts.joined(separator: " and ")) failed (listed above). Rerun `skald archive` to retry "
                    + "them; what was stored is kept.")
        } else {
            Console.out(mode.paint("Archive complete.", .green))
        }
    }
}
