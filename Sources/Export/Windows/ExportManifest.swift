import Foundation

/// `channel=<id>/_state/manifest.json`: every file a windowed export wrote, with what verification checks.
public struct ExportManifest: Sendable, Codable, Equatable {
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

    static func path(channelDirectory: String) -> String { channelDirectory + "/_state/manifest.json" }

    static func load(channelDirectory: String) throws -> ExportManifest? {
        let path = path(channelDirectory: channelDirectory)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(ExportManifest.self, from: data)
        } catch {
            throw ExportError.unsupported("\(path): not a Skald manifest (\(error))")
        }
    }

    func save(channelDirectory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileSink.writeAtomically(try encoder.encode(self), to: Self.path(channelDirectory: channelDirectory))
    }
}

/// `channel=<id>/_state/state.json`: per window its status, the runs, and the high-water mark.
public struct ExportState: Sendable, Codable, Equatable {
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

    static func path(channelDirectory: String) -> String { channelDirectory + "/_state/state.json" }

    static func load(channelDirectory: String) throws -> ExportState? {
        let path = path(channelDirectory: channelDirectory)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(ExportState.self, from: data)
        } catch {
            throw ExportError.unsupported("\(path): not a Skald export state (\(error))")
        }
    }

    func save(channelDirectory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileSink.writeAtomically(try encoder.encode(self), to: Self.path(channelDirectory: channelDirectory))
    }
}
