import ArchiveStore
import AsyncHTTPClient
import DiscordModels
import DiscordREST
import Foundation
import NIOCore

/// Where the mirror takes archived attachments from and how it fits them into the target's caps: the archive's
/// media folder when the file was downloaded there (`skald archive --media`), else the stored URL, fetched into a
/// temporary folder (streamed to disk, never held whole in memory) and deleted after the upload. A file over the
/// target's per-file cap, past its per-message count or byte cap, or that cannot be fetched is linked with a note
/// instead.
public struct MirrorAttachments: Sendable {
    /// The target's caps on uploads (fluxer-api.md §3.6, §5).
    public struct Caps: Sendable, Hashable {
        /// The largest file (Fluxer: 25 MiB).
        public var perFile: Int64
        /// Files per message (Fluxer: 10).
        public var filesPerMessage: Int
        /// Bytes of all files of one message (fluxer-api.md gives no such cap for Fluxer: 10 × the file cap).
        public var perMessage: Int64

        /// Caps of `perFile` bytes per file and `filesPerMessage` files.
        public init(perFile: Int64 = 25 << 20, filesPerMessage: Int = 10, perMessage: Int64? = nil) {
            self.perFile = perFile
            self.filesPerMessage = filesPerMessage
            self.perMessage = perMessage ?? perFile * Int64(filesPerMessage)
        }
    }

    /// A file chosen for upload.
    public struct Upload: Sendable, Hashable {
        /// The archived attachment.
        public var attachment: StoredAttachment
        /// The archived media file, when there is one.
        public var mediaPath: String?
    }

    /// What one message carries: files to upload and lines for those linked instead.
    public struct Choice: Sendable, Hashable {
        /// Files to upload, in the source's order.
        public var uploads: [Upload] = []
        /// One line per attachment not uploaded: name, why, URL.
        public var linked: [String] = []
    }

    /// The archive's media folder (`nil`: fetch every file from its URL).
    public var mediaRoot: String?
    /// The target's caps.
    public var caps: Caps
    /// Whether the target takes files with a webhook message at all (Fluxer [B] does not: every file is linked).
    public var uploadsAllowed: Bool
    /// The temporary folder files are fetched into.
    public var temporaryDirectory: URL
    /// Fresh signed URLs for expired ones, keyed by the URL sent (the source's `POST /attachments/refresh-urls`,
    /// ``DiscordClient/refreshAttachmentURLs(_:)``); nil: a file whose stored URL expired is linked.
    public var refreshURLs: (@Sendable ([String]) async throws -> [String: String])?

    /// A source of attachments; `temporaryDirectory` is made when first needed.
    public init(
        mediaRoot: String?, caps: Caps = Caps(), uploadsAllowed: Bool = true,
        temporaryDirectory: URL = FileManager.default.temporaryDirectory.appendingPathComponent(
            "skald-mirror-\(ProcessInfo.processInfo.processIdentifier)")
    ) {
        self.mediaRoot = mediaRoot
        self.caps = caps
        self.uploadsAllowed = uploadsAllowed
        self.temporaryDirectory = temporaryDirectory
    }

    /// Which attachments ride along and which are linked, from the archive's records alone (the same on every
    /// run, so a rerun formats the same text and recognises a copy an interrupted run posted).
    public func choose(_ attachments: [StoredAttachment]) -> Choice {
        var choice = Choice()
        var total: Int64 = 0
        for attachment in attachments {
            let size = Int64(max(0, attachment.size))
            let why: String?
            if !uploadsAllowed {
                why = "the target's webhooks take no files"
            } else if size > caps.perFile {
                why = "\(Self.megabytes(size)), over the target's \(Self.megabytes(caps.perFile)) file limit"
            } else if choice.uploads.count >= caps.filesPerMessage {
                why = "over the target's \(caps.filesPerMessage) files per message"
            } else if total + size > caps.perMessage {
                why = "over the target's \(Self.megabytes(caps.perMessage)) per message"
            } else {
                why = nil
            }
            if let why {
                choice.linked.append("\(attachment.filename) (\(why)): \(attachment.url)")
                continue
            }
            total += size
            choice.uploads.append(Upload(attachment: attachment, mediaPath: mediaFile(of: attachment)))
        }
        return choice
    }

    /// The archived media file of `attachment`, if it is on disk.
    func mediaFile(of attachment: StoredAttachment) -> String? {
        guard let root = mediaRoot, let relative = attachment.localPath else { return nil }
        let path = URL(fileURLWithPath: root).appendingPathComponent(relative).path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Files ready to stream: from the media folder, or fetched into the temporary folder (to delete with
    /// ``discard(_:)`` after the upload). A stored URL the CDN refuses (403, 404, 410: Discord's signed URLs expire)
    /// is renewed through ``refreshURLs`` once per message, for all its files still to fetch, and fetched again. A
    /// file that cannot be fetched, or whose bytes exceed the cap, is left out with a line saying why.
    public func fetch(_ uploads: [Upload], http: HTTPClient) async -> (files: [Fetched], failed: [String]) {
        var files: [Fetched] = []
        var failed: [String] = []
        var refreshed: [String: String]?
        for upload in uploads {
            let attachment = upload.attachment
            let type = attachment.contentType ?? "application/octet-stream"
            if let path = upload.mediaPath, let size = Self.size(of: path), size <= caps.perFile {
                files.append(
                    Fetched(
                        file: .init(filename: attachment.filename, contentType: type, path: path, length: size),
                        temporary: false))
                continue
            }
            do {
                let path: String
                do {
                    path = try await download(attachment, from: attachment.url, http: http)
                } catch let error as FetchError where error.isExpiry {
                    guard let refreshURLs else { throw error }
                    if refreshed == nil {
                        let stale = uploads.filter { $0.mediaPath == nil }.map(\.attachment.url)
                        refreshed = try await refreshURLs(stale)
                    }
                    guard let fresh = refreshed?[attachment.url] else { throw error }
                    path = try await download(attachment, from: fresh, http: http)
                }
                let size = Self.size(of: path) ?? 0
                files.append(
                    Fetched(
                        file: .init(filename: attachment.filename, contentType: type, path: path, length: size),
                        temporary: true))
            } catch {
                failed.append("\(attachment.filename) (could not be fetched: \(error)): \(attachment.url)")
            }
        }
        return (files, failed)
    }

    /// A file ready to stream.
    public struct Fetched: Sendable, Hashable {
        /// The file as the upload names it.
        public var file: FileUpload
        /// Whether it lives in the temporary folder (deleted after the upload).
        public var temporary: Bool
    }

    /// Deletes the fetched files of the temporary folder.
    public func discard(_ files: [Fetched]) {
        for fetched in files where fetched.temporary {
            if let path = fetched.file.path { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    /// Removes the temporary folder if nothing is left in it (every fetched file is discarded after its upload), so
    /// a run leaves no empty `skald-mirror-<pid>` folder behind; a folder still holding files is left alone.
    public func removeTemporaryDirectoryIfEmpty() {
        _ = rmdir(temporaryDirectory.path)
    }

    /// An error fetching an attachment.
    struct FetchError: Error, CustomStringConvertible {
        var description: String
        /// The CDN's status, when it answered.
        var status: Int?

        /// A refusal a signed URL's expiry gives (the CDN answers 403 or 404; 410 for good measure).
        var isExpiry: Bool { [403, 404, 410].contains(status ?? 0) }
    }

    /// Streams `attachment` from `url` into a new file of the temporary folder, refusing more bytes than the cap.
    private func download(_ attachment: StoredAttachment, from url: String, http: HTTPClient) async throws -> String {
        try FileManager.default.createDirectory(at: temporaryDirectory, withIntermediateDirectories: true)
        let path = temporaryDirectory.appendingPathComponent("\(attachment.id.rawValue)-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw FetchError(description: "cannot write to \(temporaryDirectory.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(120))
            guard response.status.code == 200 else {
                throw FetchError(description: "HTTP \(response.status.code)", status: Int(response.status.code))
            }
            var written: Int64 = 0
            for try await chunk in response.body {
                written += Int64(chunk.readableBytes)
                guard written <= caps.perFile else {
                    throw FetchError(description: "larger than the target's \(Self.megabytes(caps.perFile))")
                }
                try handle.write(contentsOf: Data(chunk.readableBytesView))
            }
            return path
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    static func size(of path: String) -> Int64? {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value
    }

    static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
