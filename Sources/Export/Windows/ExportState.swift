import Foundation

/// `channel=<id>/_state/state.json`: per window its status, the runs, and the high-water mark.
public struct ExportState: Sendable, Codable, Equatable, ExportStateFile {
    /// One calendar window of the backfill (or one incremental run).
    public struct WindowStatus: Sendable, Codable, Equatable {
        public var key: String
        /// `complete` (no newer message can fall in it), `open` (the latest window) or `incremental`.
        public var status: String
        public var files: [String]
        public var messageCount: Int
    }

    /// One export run.
    public struct Run: Sendable, Codable, Equatable {
        public var id: String
        public var at: String
        public var messages: Int
        public var files: Int
    }

    public var version = 1
    public var channelId: String
    public var window: ExportWindow
    /// The largest message id exported so far; the next run exports only newer ones.
    public var highWaterMark: String?
    /// The `--after` bound of the backfill, if any.
    public var after: String?
    public var windows: [WindowStatus] = []
    public var runs: [Run] = []

    static let fileName = "state.json"
    static let what = "export state"
}
