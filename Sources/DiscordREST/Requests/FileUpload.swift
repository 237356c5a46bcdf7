import Foundation

/// A file sent with a message as `files[n]`.
public struct FileUpload: Sendable, Hashable {
    /// The file name Discord shows and stores.
    public var filename: String
    /// The MIME type (`image/png`).
    public var contentType: String
    /// The bytes.
    public var data: Data
    /// Alt text (≤ 1024 characters).
    public var description: String?

    /// Creates an upload.
    public init(
        filename: String, contentType: String = "application/octet-stream", data: Data, description: String? = nil
    ) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
        self.description = description
    }
}
