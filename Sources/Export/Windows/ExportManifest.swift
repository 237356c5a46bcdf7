import Foundation

/// `channel=<id>/_state/manifest.json`: every file a windowed export wrote, with what verification checks.
public struct ExportManifest: Sendable, Codable, Equatable, ExportStateFile {
    /// One listed file: its path, role and ``ExportedFileFacts``, stored flat (`{"path", "kind", "window",
    /// "messageCount", …, "owns", "writtenAt"}`); the facts read through the entry (`entry.sha256`).
    @dynamicMemberLookup
    public struct Entry: Sendable, Codable, Equatable {
        /// Path relative to the channel folder.
        public var path: String
        /// `backfill` or `incremental`.
        public var kind: String
        /// The window key (`dt=…`) for backfill files, the run id for incremental ones.
        public var window: String
        /// What the file holds and hashes to.
        public var facts: ExportedFileFacts
        /// Whether this file is the one that owns its messages (exactly one owner per message).
        public var owns: Bool
        /// When the file was written (the export's time zone).
        public var writtenAt: String

        private enum CodingKeys: String, CodingKey {
            case path
            case kind
            case window
            case owns
            case writtenAt
        }

        /// Makes an entry.
        public init(
            path: String, kind: String, window: String, facts: ExportedFileFacts, owns: Bool, writtenAt: String
        ) {
            self.path = path
            self.kind = kind
            self.window = window
            self.facts = facts
            self.owns = owns
            self.writtenAt = writtenAt
        }

        /// Reads an entry; the facts are members of the same object.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                path: try container.decode(String.self, forKey: .path),
                kind: try container.decode(String.self, forKey: .kind),
                window: try container.decode(String.self, forKey: .window), facts: try ExportedFileFacts(from: decoder),
                owns: try container.decode(Bool.self, forKey: .owns),
                writtenAt: try container.decode(String.self, forKey: .writtenAt))
        }

        /// Writes an entry; the facts are members of the same object.
        public func encode(to encoder: any Encoder) throws {
            try facts.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(kind, forKey: .kind)
            try container.encode(window, forKey: .window)
            try container.encode(owns, forKey: .owns)
            try container.encode(writtenAt, forKey: .writtenAt)
        }

        /// A fact of the file (`entry.sha256`).
        public subscript<Value>(dynamicMember fact: KeyPath<ExportedFileFacts, Value>) -> Value {
            facts[keyPath: fact]
        }
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
