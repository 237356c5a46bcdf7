import ConsoleKitTerminal
import Export
import NIOConcurrencyHelpers

/// The assets `export --media` could not download, gathered while the channels are written and told once at the
/// end on standard error: how many, the first few with their reason, and what to do next. Their URLs stay in the
/// files, as DCE keeps them; the export itself goes on.
final class AssetFailures: Sendable {
    private let failures = NIOLockedValueBox<[AssetDownloadFailure]>([])
    /// Failures listed one by one; the rest are counted.
    private static let listed = 5

    /// Records one failure.
    func add(_ failure: AssetDownloadFailure) {
        failures.withLockedValue { $0.append(failure) }
    }

    /// Tells the failures on standard error (nothing when there were none).
    func report(_ mode: OutputMode) {
        let all = failures.withLockedValue { $0 }
        guard !all.isEmpty else { return }
        Console.error(
            "warning: ".consoleText(.warning)
                + "\(all.count) asset(s) could not be downloaded; the export keeps their URLs, as DCE does:"
                .consoleText(), mode)
        for failure in all.prefix(Self.listed) { Console.error("  \(failure.url): \(failure.reason)") }
        if all.count > Self.listed { Console.error("  … and \(all.count - Self.listed) more") }
        if let full = all.first(where: { $0.storageFull != nil })?.storageFull {
            Console.error(
                "The media folder's disk is full (\(full.cause)): free space, then run the same export again; the "
                    + "files already downloaded are reused and only the missing ones are fetched.")
        }
        let expired = all.filter(\.isExpiredAttachment).count
        if expired > 0 {
            Console.error(
                "\(expired) attachment link(s) expired or were refused by the CDN (signed links last about a day): "
                    + "`skald archive --media` downloads archived attachments with fresh links, and the next export "
                    + "links those files; an imported export's expired links cannot be renewed.")
        }
        if all.contains(where: { $0.storageFull == nil && !$0.isExpiredAttachment }) {
            Console.error(
                "Check the network (and --cdn), then run the same export again: the files already downloaded are not "
                    + "fetched again.")
        }
    }
}
