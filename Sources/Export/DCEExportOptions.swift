import Foundation

/// The output formats DCE writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    case json
    case htmlDark = "html-dark"
    case htmlLight = "html-light"
    case csv
    case txt

    /// The file extension.
    public var fileExtension: String {
        switch self {
        case .json: "json"
        case .htmlDark, .htmlLight: "html"
        case .csv: "csv"
        case .txt: "txt"
        }
    }
}

/// When a file is closed and the next part started (`--partition`).
public enum PartitionLimit: Sendable, Equatable {
    /// After this many messages.
    case messages(Int)
    /// Once the file reaches this many bytes (checked before each message).
    case bytes(Int)

    /// Parses `1000` or DCE's size form (`10mb`, `1.5 GB`, `500kb`).
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let count = Int(trimmed), count > 0 {
            self = .messages(count)
            return
        }
        let lower = trimmed.lowercased().replacingOccurrences(of: " ", with: "")
        guard lower.hasSuffix("b") else { return nil }
        var body = String(lower.dropLast())
        var scale = 1.0
        if let unit = body.last, unit.isLetter {
            switch unit {
            case "k": scale = 1e3
            case "m": scale = 1e6
            case "g": scale = 1e9
            default: return nil
            }
            body.removeLast()
        }
        guard let value = Double(body.replacingOccurrences(of: ",", with: ".")), value > 0 else { return nil }
        self = .bytes(Int(value * scale))
    }
}

/// Which threads of an exported channel or guild are exported with it (`--include-threads`).
public enum ThreadInclusion: String, Sendable, CaseIterable {
    case none
    case active
    case all
}

/// Settings of an export. Defaults follow DCE's.
public struct DCEExportOptions: Sendable {
    /// The format.
    public var format: ExportFormat = .json
    /// Local time (DCE's default) or UTC (`--utc`).
    public var timeZone: DCETimeZone = .local
    /// `--markdown`: replace mentions, channels, roles, custom emoji and timestamps in text.
    public var markdown = true
    /// The line ending (`\n`; DCE on Windows writes `\r\n`).
    public var newline = "\n"
    /// Only messages with ids greater than this (`--after`).
    public var after: UInt64?
    /// Only messages with ids less than this (`--before`).
    public var before: UInt64?
    /// `--partition`.
    public var partition: PartitionLimit?
    /// `--include-threads`.
    public var includeThreads: ThreadInclusion = .none
    /// Export messages the archive found deleted on Discord too.
    public var includeDeleted = false
    /// `--media`: write attachment URLs as paths to the archive's downloaded media, and download the other assets
    /// DCE downloads (avatars, icons, emoji, stickers, embed media; with ``fetchAsset``) into ``mediaDirectory``,
    /// each linked as DCE links it: relative to the output file inside its folder, else absolute.
    public var media = false
    /// Where `--media` downloads assets (DCE's `--media-dir`); nil: DCE's default, `{output file}_Files/` beside
    /// each channel's file (its partitions share it).
    public var mediaDirectory: String?
    /// Fetches an asset's bytes for `--media` (nil: no asset but the archive's attachments is linked).
    public var fetchAsset: AssetFetch?
    /// `--discord-media-only`: download from Discord's CDN hosts only; an asset elsewhere (a Twemoji image, an
    /// embed's outside video) keeps its URL, unasked.
    public var mediaFromDiscordOnly = false
    /// Told of each asset `--media` could not download (its URL is kept, as DCE keeps it).
    public var assetFailed: @Sendable (AssetDownloadFailure) -> Void = { _ in }
    /// The folder the archive's media paths are relative to (`--media`).
    public var mediaRoot: String?
    /// Where a server answers the archive's media folder (`skald serve`: `/media/`): a document it streams
    /// (``DCEExporter/streamChannel(_:write:)``) links the assets `import --media` copied there, instead of their
    /// paths inside the folder. `nil`: paths as stored.
    public var servedMediaPrefix: String?
    /// DCE's `--output` template (tokens `%g %G %t %T %c %C %p %P %a %b %d %%`); `nil`: the default file name.
    public var outputTemplate: String?
    /// Channels exported at once by ``DCEExporter/exportChannels(_:to:)`` (each on its own file set): two keep both
    /// cores of a small machine busy. An output template always exports one at a time (two channels may share a
    /// file name).
    public var parallelChannels = 2
    /// The wall clock, for `exportedAt` (100 ns precision, as DCE writes it).
    public var now: @Sendable () -> DCETime = { DCETime(date: Date()) }

    /// Default settings.
    public init() {}
}
