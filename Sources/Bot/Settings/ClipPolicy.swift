import ArchiveStore
import Foundation

/// Which live clips a guild keeps, from its merged settings: `clip_kinds` (attachment, embed, link; absent: all)
/// and `channels` (channel ids; absent or empty: all).
public struct ClipPolicy: Sendable, Hashable {
    /// Kinds kept, or nil for all.
    public var kinds: Set<String>?
    /// Channels watched, or nil for all.
    public var channels: Set<UInt64>?

    /// Keeps every clip.
    public static let everything = ClipPolicy(kinds: nil, channels: nil)

    /// A policy.
    public init(kinds: Set<String>?, channels: Set<UInt64>?) {
        self.kinds = kinds
        self.channels = channels
    }

    /// The policy of merged settings (a JSON object).
    public init(settings: Data) {
        let object = (try? JSONSerialization.jsonObject(with: settings)) as? [String: Any] ?? [:]
        kinds = (object["clip_kinds"] as? [Any]).map { Set($0.map { "\($0)" }) }
        let ids = (object["channels"] as? [Any])?.compactMap { UInt64("\($0)") } ?? []
        channels = ids.isEmpty ? nil : Set(ids)
    }

    /// Whether `clip` is kept.
    public func keeps(_ clip: ClipRecord) -> Bool {
        (kinds?.contains(clip.kind) ?? true) && (channels?.contains(clip.channelId.rawValue) ?? true)
    }
}
