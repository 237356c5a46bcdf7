import Foundation

/// `channel=<id>/_state/manifest.json`: every file a windowed export wrote, with what verification checks.
public struct ExportManifest: Sendable, Codable, Equatable, ExportStateFile {
    /// One listed file.
    public struct Entry: Sendable, Codable, Equatable {
        /// Path relative to the channel folder.
        public var path: String
        /// `backfill` or `incremental`.
        public var kind: String
        /// The window key (`dt=…`) for backfill files, the run id for incremental ones.
        public var window: String
        public var messageCount: Int
        public var minId: String?
        public var maxId: String?
        public var firstTimestamp: String?
        public var lastTimestamp: String?
        public var sha256: String
        public var bytes: Int
        /// Whether this file is the one that owns its messages (exactly one owner per message).
        public var owns: Bool
        public var writtenAt: String
    }

    public var version = 1
    public var channelId: String
    public var files: [Entry] = []

    static let fileName = "manifest.json"
    static let what = "manifest"
}
