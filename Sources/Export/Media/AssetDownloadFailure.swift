import FileSafety

/// An asset `export --media` could not download: its URL stays in the export, as DCE writes the URL of a download
/// that failed (dce-json.md §14.1).
public struct AssetDownloadFailure: Sendable, Equatable {
    /// The asset's URL, as the export writes it.
    public let url: String
    /// Why: the answer's status (`HTTP 404`), the connection's failure, or the file's.
    public let reason: String
    /// The HTTP status, when the server answered one.
    public let status: Int?
    /// Set when the media folder's disk is full: no further asset is tried in this export.
    public let storageFull: StorageFull?

    /// A failure of `url`.
    public init(url: String, reason: String, status: Int? = nil, storageFull: StorageFull? = nil) {
        self.url = url
        self.reason = reason
        self.status = status
        self.storageFull = storageFull
    }

    /// Whether the asset is an attachment whose signed URL may have expired (a CDN 403/404 on `/attachments/`):
    /// `skald archive --media` fetches such files with fresh URLs.
    public var isExpiredAttachment: Bool {
        (status == 403 || status == 404) && url.contains("/attachments/")
    }
}
