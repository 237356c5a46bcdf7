import DiscordModels
import Foundation

/// The download state of attachments' media (`skald archive --media`): what is missing, what was saved where,
/// and what failed.
///
/// ```swift
/// for attachment in try await store.attachmentsLackingDownload(after: nil, maxFailures: 3, limit: 100) {
///     try await store.recordDownload(of: attachment.id, sha256: hash, localPath: path, at: Date())
/// }
/// ```
public protocol MediaStore: Sendable {
    /// Attachments whose media is not downloaded yet, ascending by id after `after`, skipping those that
    /// already failed `maxFailures` times or more.
    func attachmentsLackingDownload(after: Snowflake<Attachment>?, maxFailures: Int, limit: Int) async throws
        -> [StoredAttachment]

    /// Records a finished download (clears any earlier failure).
    func recordDownload(of attachment: Snowflake<Attachment>, sha256: String, localPath: String, at date: Date)
        async throws

    /// Records a failed download attempt; ignored when the attachment was downloaded meanwhile (by another
    /// process sharing the archive), so no stale error stands beside a valid local path.
    func recordDownloadFailure(of attachment: Snowflake<Attachment>, reason: String, at date: Date) async throws

    /// Records why an attachment was deliberately not downloaded (over the bot's `max_download_mb`) as its
    /// download error, without counting a failed attempt: it stays listed as lacking, so a later run with a higher
    /// limit (or `skald archive --media`) still fetches it. Ignored once the attachment is downloaded.
    func recordDownloadSkipped(of attachment: Snowflake<Attachment>, reason: String) async throws
}
