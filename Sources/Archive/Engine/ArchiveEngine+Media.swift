import ArchiveStore
import DiscordREST
import Foundation

extension ArchiveEngine {
    /// Downloads every attachment the archive lacks into the media folder, content-addressed (what `--media` does
    /// after a run), on its own: `skald bot` calls it after live messages brought attachment clips. Expired signed
    /// URLs are refreshed by re-fetching the message.
    /// - Parameter refusal: why an attachment must not be downloaded (the bot's `max_download_mb`), or nil to
    ///   download it; a refused one is recorded as skipped, with that reason.
    /// - Returns: how many files were downloaded and how many failed (failures are recorded on the attachment).
    public func downloadMedia(refusing refusal: (@Sendable (StoredAttachment) async -> String?)? = nil) async throws
        -> (downloaded: Int, failed: Int)
    {
        guard let account = configuration.accounts.first else { return (0, 0) }
        let outcome = try await io.clients.withClient(token: account.token) { client in
            var downloader = MediaDownloader(
                store: store, directory: configuration.mediaDirectory, http: io.mediaHTTP, observer: observer,
                logger: logger, now: now,
                refresh: { attachment in try await refreshURL(of: attachment, client: client) })
            downloader.refusal = refusal
            return try await downloader.downloadPending()
        }
        return (outcome.downloaded, outcome.failed)
    }
}
