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
        /// The message count.
        public var messageCount: Int
        /// The min id.
        public var minId: String?
        /// The max id.
        public var maxId: String?
        /// The first timestamp.
        public var firstTimestamp: String?
        /// The last timestamp.
        public var lastTimestamp: String?
        /// The sha 256.
        public var sha256: String
        /// The bytes.
        public var bytes: Int
        /// Whether this file is the one that owns its messages (exactly one owner per message).
        public var owns: Bool
        /// When written.
        public var writtenAt: String
    }

    /// The version.
    public var version = 1
    /// The channel id.
    public var channelId: String
    /// The files.
    public var files: [Entry] = []

    static let fileName = "manifest.json"
    static let what = "manifest"
}
