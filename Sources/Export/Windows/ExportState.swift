import Foundation

/// `channel=<id>/_state/state.json`: per window its status, the runs, and the high-water mark.
public struct ExportState: Sendable, Codable, Equatable, ExportStateFile {
    /// One calendar window of the backfill (or one incremental run).
    public struct WindowStatus: Sendable, Codable, Equatable {
        /// The key.
        public var key: String
        /// `complete` (no newer message can fall in it), `open` (the latest window) or `incremental`.
        public var status: String
        /// The files.
        public var files: [String]
        /// The message count.
        public var messageCount: Int
    }

    /// One export run.
    public struct Run: Sendable, Codable, Equatable {
        /// The id.
        public var id: String
        /// The at.
        public var at: String
        /// The messages.
        public var messages: Int
        /// The files.
        public var files: Int
    }

    /// The version.
    public var version = 1
    /// The channel id.
    public var channelId: String
    /// The window.
    public var window: ExportWindow
    /// The largest message id exported so far; the next run exports only newer ones.
    public var highWaterMark: String?
    /// The `--after` bound of the backfill, if any.
    public var after: String?
    /// The windows.
    public var windows: [WindowStatus] = []
    /// The runs.
    public var runs: [Run] = []

    static let fileName = "state.json"
    static let what = "export state"
}
