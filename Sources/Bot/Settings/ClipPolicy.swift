import ArchiveStore
import Foundation

/// What a guild's merged settings ask of the clip saver: which live clips it keeps (`clip_kinds`: attachment, embed,
/// link, absent: all; `channels`: channel ids, absent or empty: all), the largest file it downloads
/// (`max_download_mb`, MiB, against Discord's `size`) and the emoji it reacts with to a saved clip's message
/// (`reaction`).
public struct ClipPolicy: Sendable, Hashable {
    /// Kinds kept, or nil for all.
    public var kinds: Set<String>?
    /// Channels watched, or nil for all.
    public var channels: Set<UInt64>?
    /// The largest attachment downloaded, in bytes, or nil for no limit.
    public var maxDownloadBytes: Int64?
    /// The emoji the bot reacts with, as Create Reaction's route takes it (a Unicode emoji, or `name:id`); nil: none.
    public var reaction: String?

    /// Keeps every clip.
    public static let everything = ClipPolicy(kinds: nil, channels: nil)

    /// A policy.
    public init(kinds: Set<String>?, channels: Set<UInt64>?, maxDownloadBytes: Int64? = nil, reaction: String? = nil) {
        self.kinds = kinds
        self.channels = channels
        self.maxDownloadBytes = maxDownloadBytes
        self.reaction = reaction
    }

    /// The policy of merged settings (a JSON object).
    public init(settings: Data) {
        let object = (try? JSONSerialization.jsonObject(with: settings)) as? [String: Any] ?? [:]
        kinds = (object["clip_kinds"] as? [Any]).map { Set($0.map { "\($0)" }) }
        let ids = (object["channels"] as? [Any])?.compactMap { UInt64("\($0)") } ?? []
        channels = ids.isEmpty ? nil : Set(ids)
        if let megabytes = (object["max_download_mb"] as? NSNumber)?.doubleValue, megabytes > 0, megabytes.isFinite {
            maxDownloadBytes = Int64(min(megabytes * 1_048_576, Double(Int64.max / 2)))
        }
        reaction = (object["reaction"] as? String).map(GuildSettingsSchema.reactionSegment)
    }

    /// Whether `clip` is kept.
    public func keeps(_ clip: ClipRecord) -> Bool {
        (kinds?.contains(clip.kind) ?? true) && (channels?.contains(clip.channelId.rawValue) ?? true)
    }

    /// Why a file of `size` bytes (Discord's figure) is not downloaded, or nil when it is within `max_download_mb`.
    public func downloadRefusal(size: Int) -> String? {
        guard let maxDownloadBytes, Int64(size) > maxDownloadBytes else { return nil }
        return "skipped: \(Self.mebibytes(Int64(size))) is over max_download_mb (\(Self.mebibytes(maxDownloadBytes))); "
            + "raise it (skald settings set --guild ID max_download_mb N) and the next download fetches it"
    }

    /// `n` bytes as MiB with one decimal (`120.5 MiB`), three below 1 MiB (`0.004 MiB`).
    static func mebibytes(_ bytes: Int64) -> String {
        String(format: bytes < 1_048_576 ? "%.3f MiB" : "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
