import Archive
import ConsoleKitTerminal
import Foundation

/// Prints an ``ArchiveSummary``: per guild what was archived, what was skipped and why, what failed.
enum SummaryPrinter {
    static func print(_ summary: ArchiveSummary, mode: OutputMode) {
        let seconds = (summary.finishedAt ?? Date()).timeIntervalSince(summary.startedAt)
        Console.out("")
        Console.out("Summary".consoleText(isBold: true) + String(format: " (%.1f s)", seconds).consoleText(), mode)
        for guild in summary.guilds {
            let counts =
                " [\(guild.guildId)] via \(guild.account): \(guild.channels) channels, \(guild.threads) threads, "
                + "\(guild.messagesInserted.formatted()) new messages (\(guild.messagesStored.formatted()) fetched), "
                + "\(guild.attachments.formatted()) attachments"
                + (guild.edits > 0 ? ", \(guild.edits) edits" : "")
                + (guild.deletions > 0 ? ", \(guild.deletions) deletions" : "")
            Console.out("  ".consoleText() + guild.name.consoleText(.info) + counts.consoleText(), mode)
            for note in guild.notes { Console.out("    note: ".consoleText(.warning) + note.consoleText(), mode) }
            for skip in guild.skipped {
                Console.out(
                    "    skipped ".consoleText(.warning)
                        + "\(skip.label) [\(skip.channelId)]: \(skip.reason)".consoleText(),
                    mode)
            }
            for failure in guild.failed {
                Console.out(
                    "    FAILED ".consoleText(.error)
                        + "\(failure.label) [\(failure.channelId)]: \(failure.reason)".consoleText(), mode)
            }
        }
        if summary.mediaDownloaded > 0 || summary.mediaFailed > 0 {
            Console.out("  media: \(summary.mediaDownloaded) downloaded, \(summary.mediaFailed) failed")
            let shown = 20
            for failure in summary.mediaFailures.prefix(shown) {
                Console.out(
                    "    FAILED ".consoleText(.error)
                        + "attachment \(failure.attachmentId) (\(failure.filename)): \(failure.reason)".consoleText(),
                    mode)
            }
            if summary.mediaFailures.count > shown {
                Console.out("    … and \(summary.mediaFailures.count - shown) more failed attachment(s)")
            }
        }
        if summary.requests > 0 {
            let percent = Double(summary.invalidRequests) * 100 / Double(summary.requests)
            Console.out(
                "  requests: \(summary.requests.formatted()), \(summary.invalidRequests) invalid (401/403/429, "
                    + String(format: "%.2f%%", percent)
                    + "; \(summary.invalidRequestsInWindow) in the last 10 minutes, Discord bans an IP at 10,000)")
        }
        if summary.isPartial {
            let channels = summary.guilds.reduce(0) { $0 + $1.failed.count }
            var parts: [String] = []
            if channels > 0 { parts.append("\(channels) channel(s)") }
            if summary.mediaFailed > 0 { parts.append("\(summary.mediaFailed) attachment download(s)") }
            Console.out(
                "Partial archive: ".consoleText(.error)
                    + ("\(parts.joined(separator: " and ")) failed (listed above). Rerun `skald archive` to retry "
                    + "them; what was stored is kept.").consoleText(), mode)
        } else {
            Console.out("Archive complete.".consoleText(.success), mode)
        }
    }
}
