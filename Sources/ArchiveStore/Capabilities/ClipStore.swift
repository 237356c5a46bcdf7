import DiscordModels
import Foundation

/// What `skald clips` and `skald bot` keep in the archive: the clips found in archived messages and the scan runs
/// that found them (resumable: a run keeps a cursor per channel).
///
/// ```swift
/// try await store.recordClips(found)
/// let saved = try await store.clips(guild: nil, kind: "link")
/// ```
public protocol ClipStore: Sendable {
    /// Records clips, replacing a row with the same channel, message and URL (a file already recorded for it is
    /// kept when the new record has none).
    func recordClips(_ clips: [ClipRecord]) async throws

    /// Records clips as ``recordClips(_:)`` does and deletes the clip saver's marks `marks` (ids from
    /// ``clipBacklog(limit:)``) in the same transaction: a mark is gone only once its message's clips are recorded.
    func recordClips(_ clips: [ClipRecord], consumingMarks marks: [Int64]) async throws

    /// The oldest `limit` marks of messages whose clips the bot has not recorded yet, with the messages they name
    /// (a deleted message too: the bot saw it live). A mark whose message is not archived is listed with none.
    func clipBacklog(limit: Int) async throws -> ClipBacklog

    /// The clips recorded, oldest message first, in `guild` and of `kind` when given. An attachment clip whose file
    /// the media downloader fetched reports that file's hash and path.
    func clips(guild: Snowflake<Guild>?, kind: String?) async throws -> [ClipRecord]

    /// Records the downloaded file of a clip.
    func recordClipFile(
        message: Snowflake<Message>, channel: Snowflake<Channel>, url: String, sha256: String, size: Int,
        path: String
    ) async throws

    /// Saves a scan run (inserting or replacing it by id): its cursors, counts and status.
    func saveClipScan(_ run: ClipScanRun) async throws

    /// The most recent scan runs, newest first.
    func clipScans(limit: Int) async throws -> [ClipScanRun]
}
