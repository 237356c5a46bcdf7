import Foundation

/// A file sent with a message as `files[n]`.
public struct FileUpload: Sendable, Hashable {
    /// Where an upload's bytes come from.
    public enum Content: Sendable, Hashable {
        /// Bytes held in memory.
        case bytes(Data)
        /// `length` bytes of the file at `path` from `offset`, read straight into the request when it is sent (and
        /// read again if it is sent again), so the bytes are never held in memory besides the request itself.
        case fileRegion(path: String, offset: Int64, length: Int64)
    }

    /// The file name Discord shows and stores.
    public var filename: String
    /// The MIME type (`image/png`).
    public var contentType: String
    /// The bytes, or the part of a file that holds them.
    public var content: Content
    /// Alt text (≤ 1024 characters).
    public var description: String?

    /// The bytes when they are held in memory (empty for a file region, which is read only as it is sent).
    public var data: Data {
        get {
            if case .bytes(let data) = content { return data }
            return Data()
        }
        set { content = .bytes(newValue) }
    }

    /// The file the bytes are read from, for a file region.
    public var path: String? {
        if case .fileRegion(let path, _, _) = content { return path }
        return nil
    }

    /// The number of bytes the upload carries.
    public var count: Int64 {
        switch content {
        case .bytes(let data): Int64(data.count)
        case .fileRegion(_, _, let length): length
        }
    }

    /// Creates an upload of bytes in memory.
    public init(
        filename: String, contentType: String = "application/octet-stream", data: Data, description: String? = nil
    ) {
        self.init(filename: filename, contentType: contentType, content: .bytes(data), description: description)
    }

    /// Creates an upload of the whole file at `path`, `length` bytes long, read when it is sent.
    public init(filename: String, contentType: String = "application/octet-stream", path: String, length: Int64) {
        self.init(
            filename: filename, contentType: contentType, content: .fileRegion(path: path, offset: 0, length: length))
    }

    /// Creates an upload of `content`.
    ///
    /// ```swift
    /// let part = FileUpload(filename: "part-3", content: .fileRegion(path: "big.iso", offset: 20 << 20, length: 10 << 20))
    /// ```
    public init(
        filename: String, contentType: String = "application/octet-stream", content: Content,
        description: String? = nil
    ) {
        self.filename = filename
        self.contentType = contentType
        self.content = content
        self.description = description
    }
}
